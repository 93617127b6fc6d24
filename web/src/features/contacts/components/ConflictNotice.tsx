import { Button } from "react-aria-components";
import type { Contact, ContactInput } from "../api/types.ts";
import { FIELD_LABELS } from "../utils/draft.ts";

interface ConflictNoticeProps {
  /** The contact as it is on the server now. */
  theirs: Contact;
  /** The contact as the user opened it. */
  before: Contact;
  /** The values the user was saving, by field. */
  mine: ContactInput;
  onReapply: () => void;
  onDiscard: () => void;
}

/**
 * Someone else saved the contact between opening and saving it (412). Shows what they
 * have now beside what the user wrote, and lets the user save theirs again over it or drop it.
 */
export function ConflictNotice({ theirs, before, mine, onReapply, onDiscard }: ConflictNoticeProps) {
  // What either side changed: their edits and the user's, field by field.
  const fields = Object.keys(FIELD_LABELS).filter(
    (field) => field in mine || theirs[field as keyof Contact] !== before[field as keyof Contact],
  );
  return (
    <div className="conflict" role="alert">
      <p>
        <strong>Someone else changed this contact while you were editing it.</strong> Nothing of yours was saved yet;
        your changes are kept below.
      </p>
      <table className="conflict-table">
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Theirs (now saved)</th>
            <th scope="col">Yours</th>
          </tr>
        </thead>
        <tbody>
          {fields.map((field) => (
            <tr key={field}>
              <th scope="row">{FIELD_LABELS[field]}</th>
              <td>{String(theirs[field as keyof Contact] ?? "—")}</td>
              <td>
                {field in mine ? (mine[field as keyof ContactInput] ?? "—") : <span className="muted">unchanged</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="row-actions">
        <Button className="button primary" onPress={onReapply}>
          Save mine over theirs
        </Button>
        <Button className="button" onPress={onDiscard}>
          Keep theirs
        </Button>
      </div>
    </div>
  );
}
