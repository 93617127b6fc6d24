import { type FormEvent, useId, useState } from "react";
import { Button } from "react-aria-components";
import { formErrors } from "../../../lib/form-errors.ts";
import { LIMITS } from "../../../types/limits.ts";
import { useAddTags, useRemoveTag } from "../api/contact-tags.ts";
import { useTags } from "../api/get-tags.ts";
import type { Contact } from "../api/types.ts";

/** How many catalogue tags are offered as one-click buttons. */
const QUICK_TAGS = 6;

/**
 * The contact's tags: remove one with its button, add one by typing (existing tags are
 * suggested, a new name joins the catalogue) or with a quick tag from the catalogue.
 */
export function TagsEditor({ contact }: { contact: Contact }) {
  const listId = useId();
  const errorId = useId();
  const [name, setName] = useState("");
  const [error, setError] = useState<string>();
  const catalogue = useTags();
  const add = useAddTags();
  const remove = useRemoveTag();
  const has = new Set(contact.tags.map((tag) => tag.toLowerCase()));
  const suggestions = (catalogue.data ?? []).filter((tag) => !has.has(tag.name.toLowerCase()));
  const quick = [...suggestions].sort((a, b) => b.contactCount - a.contactCount).slice(0, QUICK_TAGS);

  const addTag = (tag: string) => {
    setError(undefined);
    add.mutate(
      { id: contact.id, tags: [tag] },
      {
        onSuccess: () => setName(""),
        onError: (failure) => setError(formErrors(failure, {}).form),
      },
    );
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const tag = name.trim();
    if (tag) addTag(tag);
  };

  return (
    <fieldset className="tags-editor">
      <legend>Tags</legend>
      {contact.tags.length === 0 ? (
        <p className="muted">No tags yet.</p>
      ) : (
        <ul className="tag-list">
          {contact.tags.map((tag) => (
            <li key={tag} className="tag">
              <span>{tag}</span>
              <Button
                className="tag-remove"
                aria-label={`Remove ${tag}`}
                onPress={() =>
                  remove.mutate({ id: contact.id, tag }, { onError: (f) => setError(formErrors(f, {}).form) })
                }
              >
                <span aria-hidden="true">×</span>
              </Button>
            </li>
          ))}
        </ul>
      )}
      <form className="tag-add" onSubmit={submit}>
        <label className="field">
          <span>Add tag</span>
          <input
            value={name}
            onChange={(event) => setName(event.target.value)}
            list={listId}
            maxLength={LIMITS.tag}
            autoComplete="off"
            placeholder="Type a tag and press Enter"
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? errorId : undefined}
          />
        </label>
        <datalist id={listId}>
          {suggestions.map((tag) => (
            <option key={tag.name} value={tag.name} />
          ))}
        </datalist>
        <Button type="submit" className="button" isDisabled={!name.trim()} isPending={add.isPending}>
          Add
        </Button>
      </form>
      {error && (
        <p id={errorId} className="field-error" role="alert">
          {error}
        </p>
      )}
      {quick.length > 0 && (
        <div className="quick-tags">
          <span className="muted">Quick tags</span>
          {quick.map((tag) => (
            <Button key={tag.name} className="chip" aria-label={`Add tag ${tag.name}`} onPress={() => addTag(tag.name)}>
              <span aria-hidden="true">+ </span>
              {tag.name}
            </Button>
          ))}
        </div>
      )}
    </fieldset>
  );
}
