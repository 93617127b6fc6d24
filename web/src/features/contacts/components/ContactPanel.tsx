import { useEffect, useRef, useState } from "react";
import { Button } from "react-aria-components";
import { useContact } from "../api/get-contact.ts";
import type { Contact } from "../api/types.ts";
import { contactName, formatDateTime, lastSeen } from "../utils/contact.ts";
import { languageName } from "../utils/languages.ts";
import { displayPhone } from "../utils/phone.ts";
import { utcOffset } from "../utils/timezones.ts";
import { DetailsForm } from "./DetailsForm.tsx";
import { IdentitiesList } from "./IdentitiesList.tsx";
import { RenameForm } from "./RenameForm.tsx";
import { TagsEditor } from "./TagsEditor.tsx";

interface ContactPanelProps {
  id: string;
  homeCountry: string;
  workspaceLanguages: string[];
  /** Shown between the details and the tags: where the app puts starting a conversation and the history. */
  sections?: (contact: Contact) => React.ReactNode;
  onClose: () => void;
}

/** While a panel is open the contact is read again this often, so "Last seen" follows the bots. */
const CONTACT_REFRESH_MS = 30_000;

/** One contact: every field, the name edited in place, the other fields in a form, and its tags. */
export function ContactPanel({ id, homeCountry, workspaceLanguages, sections, onClose }: ContactPanelProps) {
  const query = useContact(id, { refetchInterval: CONTACT_REFRESH_MS });
  const heading = useRef<HTMLHeadingElement>(null);
  // Focus moves into the panel when a contact opens, so keyboard and screen-reader users land on it.
  // Closing the panel gives the focus back to what opened it (the name in the list), when it is still there.
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    return () => {
      if (opener?.isConnected) opener.focus();
    };
  }, []);
  const loadedId = query.data?.id;
  useEffect(() => {
    if (loadedId) heading.current?.focus();
  }, [loadedId]);

  return (
    <aside className="panel" aria-label="Contact" onKeyDown={(event) => event.key === "Escape" && onClose()}>
      <div className="panel-bar">
        <Button className="button ghost" onPress={onClose} aria-label="Close contact">
          <span aria-hidden="true">×</span>
        </Button>
      </div>
      {query.isPending && <p className="muted">Loading the contact…</p>}
      {query.isError && (
        <p className="form-error" role="alert">
          {query.error.message}
        </p>
      )}
      {query.data && (
        <ContactDetails
          key={query.data.id}
          contact={query.data}
          headingRef={heading}
          homeCountry={homeCountry}
          workspaceLanguages={workspaceLanguages}
          sections={sections}
        />
      )}
    </aside>
  );
}

interface ContactDetailsProps {
  contact: Contact;
  headingRef: React.RefObject<HTMLHeadingElement | null>;
  homeCountry: string;
  workspaceLanguages: string[];
  sections?: (contact: Contact) => React.ReactNode;
}

function ContactDetails({ contact, headingRef, homeCountry, workspaceLanguages, sections }: ContactDetailsProps) {
  const [mode, setMode] = useState<"view" | "rename" | "edit">("view");
  const now = useNow(CONTACT_REFRESH_MS);
  const back = () => {
    setMode("view");
    requestAnimationFrame(() => headingRef.current?.focus());
  };
  const name = contactName(contact);
  return (
    <>
      {mode === "rename" ? (
        <RenameForm contact={contact} onDone={back} />
      ) : (
        <div className="panel-title">
          <h2 ref={headingRef} tabIndex={-1}>
            <button type="button" className="name-button" onClick={() => setMode("rename")} title="Click to rename">
              {name}
            </button>
          </h2>
          <Button className="button" onPress={() => setMode("rename")}>
            Rename
          </Button>
        </div>
      )}
      {mode === "edit" ? (
        <DetailsForm
          contact={contact}
          homeCountry={homeCountry}
          workspaceLanguages={workspaceLanguages}
          onDone={back}
        />
      ) : (
        <>
          <dl className="details">
            <Detail term="Email" value={contact.email} />
            <Detail term="Phone" value={displayPhone(contact.phone, homeCountry)} />
            <Detail
              term="Language"
              value={contact.language && `${languageName(contact.language)} (${contact.language})`}
            />
            <Detail
              term="Timezone"
              value={contact.timezone && `${contact.timezone} (UTC${utcOffset(contact.timezone).text})`}
            />
            <Detail term="External ID" value={contact.externalId} />
            <Detail term="Last seen" value={lastSeen(contact.lastSeenAt, now)} />
            <Detail term="Created" value={formatDateTime(contact.createdAt)} />
            <Detail term="Updated" value={formatDateTime(contact.updatedAt)} />
          </dl>
          {mode === "view" && (
            <Button className="button" onPress={() => setMode("edit")}>
              Edit details
            </Button>
          )}
        </>
      )}
      <IdentitiesList contact={contact} now={now} />
      {sections?.(contact)}
      <TagsEditor contact={contact} />
    </>
  );
}

/** The time, renewed every `ms`, so relative times ("5 minutes ago") stay true while shown. */
function useNow(ms: number) {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

function Detail({ term, value }: { term: string; value: string | null | undefined }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{value || <span className="muted">—</span>}</dd>
    </div>
  );
}
