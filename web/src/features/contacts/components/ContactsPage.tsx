import { useCallback, useEffect, useId, useMemo, useRef, useState } from "react";
import { Button } from "react-aria-components";
import { CHANNEL_LABELS, CHANNEL_ORDER } from "../../../components/ChannelMark.tsx";
import type { Me } from "../../auth/api/me.ts";
import { useContactCount } from "../api/get-contact-count.ts";
import { useContacts } from "../api/get-contacts.ts";
import { useTags } from "../api/get-tags.ts";
import type { Contact } from "../api/types.ts";
import { useDebouncedCallback } from "../hooks/use-debounced-callback.ts";
import { openContact, setChannel, setQuery, setSort, setTag, useListParams } from "../hooks/use-list-params.ts";
import { SEARCH_DEBOUNCE_MS } from "../utils/search.ts";
import { NOTHING_SELECTED, type Selection, selectedCount, toggleLoaded, toggleOne } from "../utils/selection.ts";
import { ContactPanel } from "./ContactPanel.tsx";
import { ContactsTable } from "./ContactsTable.tsx";
import { CreateContactDialog } from "./CreateContactDialog.tsx";
import { ExportMenu } from "./ExportMenu.tsx";

const number = new Intl.NumberFormat();

/**
 * The Contacts page. The Inbox (operators) creates, opens and tags contacts; the Studio
 * (admins) adds the Export menu. Both show the same list.
 */
export function ContactsPage({
  area,
  me,
  actions,
  contactSections,
}: {
  area: "inbox" | "studio";
  me: Me;
  actions?: React.ReactNode;
  /** What the app adds to the contact panel above its tags (starting a conversation, the history). */
  contactSections?: (contact: Contact) => React.ReactNode;
}) {
  const { filters, sort, contactId } = useListParams();
  const list = useContacts(filters, sort);
  const count = useContactCount(filters);
  const tags = useTags();
  const [selection, setSelection] = useState<Selection>(NOTHING_SELECTED);
  const { defaultCountry, languages } = me.workspace;

  // A new search or filter is a new list: what was ticked in the old one no longer applies.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the filters are the trigger
  useEffect(() => setSelection(NOTHING_SELECTED), [filters]);

  const rows = useMemo(() => list.data?.pages.flatMap((page) => page.items) ?? [], [list.data]);
  const loadedIds = useMemo(() => rows.map((row) => row.id), [rows]);
  // Stable callbacks keep the memoised rows from re-rendering when a page arrives.
  const loaded = useRef(loadedIds);
  loaded.current = loadedIds;
  const toggle = useCallback((id: string) => setSelection((current) => toggleOne(current, id, loaded.current)), []);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = list;
  const loadMore = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  const total = count.data;
  const selected = selectedCount(selection, total);
  const filtered =
    filters.q.trim() !== "" || filters.tags.length > 0 || filters.language !== "" || Boolean(filters.channel);

  return (
    <div className={`contacts-page${contactId ? " with-panel" : ""}`}>
      <div className="list-area">
        <div className="page-head">
          <h1>Contacts</h1>
          <div className="page-actions">
            {actions}
            {area === "studio" && <ExportMenu filters={filters} selection={selection} />}
            <CreateContactDialog
              label={area === "inbox" ? "Create user" : "Add contact"}
              country={defaultCountry}
              workspaceLanguages={languages}
            />
          </div>
        </div>
        <div className="toolbar">
          <SearchBox value={filters.q} />
          <label className="field inline">
            <span>Filter by tag</span>
            <select value={filters.tags[0] ?? ""} onChange={(event) => setTag(event.target.value)}>
              <option value="">All tags</option>
              {filters.tags[0] && !tags.data?.some((tag) => tag.name === filters.tags[0]) && (
                <option value={filters.tags[0]}>{filters.tags[0]}</option>
              )}
              {tags.data?.map((tag) => (
                <option key={tag.name} value={tag.name}>
                  {tag.name} ({number.format(tag.contactCount)})
                </option>
              ))}
            </select>
          </label>
          <label className="field inline">
            <span>Filter by channel</span>
            <select value={filters.channel ?? ""} onChange={(event) => setChannel(event.target.value)}>
              <option value="">All channels</option>
              {CHANNEL_ORDER.map((channel) => (
                <option key={channel} value={channel}>
                  {CHANNEL_LABELS[channel]}
                </option>
              ))}
            </select>
          </label>
          <p className="count" aria-live="polite">
            {total === undefined
              ? "Counting…"
              : `${number.format(total)} ${filtered ? (total === 1 ? "match" : "matches") : total === 1 ? "contact" : "contacts"}`}
          </p>
        </div>
        {selected > 0 && (
          <section className="selection-bar" aria-label="Selection">
            <span>
              {selection.matching
                ? `All ${number.format(selected)} matching selected`
                : `${number.format(selected)} selected`}
            </span>
            {!selection.matching && total !== undefined && total > selection.ids.size && (
              <Button className="button small" onPress={() => setSelection({ ids: new Set(), matching: true })}>
                Select all {number.format(total)} matching
              </Button>
            )}
            <Button className="button small" onPress={() => setSelection(NOTHING_SELECTED)}>
              Clear selection
            </Button>
          </section>
        )}
        {list.isError && (
          <p className="form-error" role="alert">
            The contacts could not be loaded: {list.error.message}{" "}
            <Button className="button small" onPress={() => void list.refetch()}>
              Try again
            </Button>
          </p>
        )}
        <ContactsTable
          rows={rows}
          total={total}
          hasMore={Boolean(hasNextPage)}
          loadMore={loadMore}
          isLoading={list.isPending}
          isRefreshing={list.isPlaceholderData}
          sort={sort}
          onSort={setSort}
          homeCountry={defaultCountry}
          selection={selection}
          onToggle={toggle}
          onToggleLoaded={() => setSelection((current) => toggleLoaded(current, loadedIds))}
          onOpen={openContact}
          empty={
            filtered ? (
              <p>No contact matches this search or filter.</p>
            ) : (
              <p>
                No contacts yet. Use <strong>{area === "inbox" ? "Create user" : "Add contact"}</strong> to add the
                first one.
              </p>
            )
          }
        />
      </div>
      {contactId && (
        <ContactPanel
          id={contactId}
          homeCountry={defaultCountry}
          workspaceLanguages={languages}
          sections={contactSections}
          onClose={() => openContact(null)}
        />
      )}
    </div>
  );
}

/** The search box keeps its own text while typing and writes it to the address after a pause. */
function SearchBox({ value }: { value: string }) {
  const id = useId();
  const [text, setText] = useState(value);
  const [focused, setFocused] = useState(false);
  const write = useDebouncedCallback(setQuery, SEARCH_DEBOUNCE_MS);
  // The back button or a link changed the address: show its query unless the user is typing.
  useEffect(() => {
    if (!focused) setText(value);
  }, [value, focused]);
  return (
    <div className="field inline search">
      <label htmlFor={id} className="sr-only">
        Search contacts
      </label>
      <input
        id={id}
        type="search"
        value={text}
        placeholder="Name, email, phone or external ID"
        onFocus={() => setFocused(true)}
        onBlur={() => setFocused(false)}
        onChange={(event) => {
          setText(event.target.value);
          write(event.target.value);
        }}
        autoComplete="off"
        spellCheck={false}
      />
    </div>
  );
}
