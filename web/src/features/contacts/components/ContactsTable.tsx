import { useVirtualizer } from "@tanstack/react-virtual";
import { memo, useEffect, useRef } from "react";
import { ChannelMark, seenChannels } from "../../../components/ChannelMark.tsx";
import type { Contact, Sort } from "../api/types.ts";
import { contactName, lastSeen } from "../utils/contact.ts";
import { languageName } from "../utils/languages.ts";
import { displayPhone } from "../utils/phone.ts";
import type { Selection } from "../utils/selection.ts";

/** Every row is this tall, so the list needs no measuring while it scrolls. */
export const ROW_HEIGHT = 44;
/** Fetch the next keyset page when fewer than this many loaded rows are left below the view. */
const PREFETCH_ROWS = 40;

interface ContactsTableProps {
  rows: Contact[];
  total: number | undefined;
  hasMore: boolean;
  loadMore: () => void;
  isLoading: boolean;
  isRefreshing: boolean;
  sort: Sort;
  onSort: (sort: Sort) => void;
  homeCountry: string;
  selection: Selection;
  onToggle: (id: string) => void;
  onToggleLoaded: () => void;
  onOpen: (id: string) => void;
  empty: React.ReactNode;
}

const COLUMNS: { key: string; title: string; sort?: "name" | "lastSeenAt" | "createdAt"; className?: string }[] = [
  { key: "name", title: "Name", sort: "name" },
  { key: "email", title: "Email", className: "col-email" },
  { key: "phone", title: "Phone" },
  { key: "language", title: "Language", className: "col-language" },
  { key: "timezone", title: "Timezone", className: "col-timezone" },
  { key: "tags", title: "Tags", className: "col-tags" },
  { key: "channels", title: "Channels", className: "col-channels" },
  { key: "lastSeen", title: "Last seen", sort: "lastSeenAt", className: "col-seen" },
];

/**
 * The contact list as a table whose rows are rendered only while on screen: the DOM holds
 * a few dozen rows whether 50 or 1,000,000 match. Rows arrive a keyset page at a time as
 * the user scrolls towards the end of what is loaded; there are no page numbers.
 */
export function ContactsTable(props: ContactsTableProps) {
  const { rows, hasMore, loadMore, selection } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const count = rows.length + (hasMore ? 1 : 0);
  const virtualizer = useVirtualizer({
    count: props.isLoading ? 12 : count,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? 0;

  useEffect(() => {
    if (hasMore && lastIndex >= rows.length - PREFETCH_ROWS) loadMore();
  }, [hasMore, lastIndex, rows.length, loadMore]);

  const loadedSelected = rows.length > 0 && rows.every((row) => selection.matching || selection.ids.has(row.id));
  const someSelected = selection.matching || selection.ids.size > 0;

  return (
    <div ref={scroller} className="table-scroll">
      <table
        aria-label="Contacts"
        aria-rowcount={props.total === undefined ? -1 : props.total + 1}
        aria-busy={props.isLoading || props.isRefreshing}
      >
        <thead className="thead">
          <tr aria-rowindex={1} className="tr">
            <th scope="col" className="td col-check">
              <input
                type="checkbox"
                aria-label="Select all loaded contacts"
                checked={loadedSelected}
                ref={(input) => {
                  if (input) input.indeterminate = someSelected && !loadedSelected;
                }}
                onChange={props.onToggleLoaded}
                disabled={rows.length === 0}
              />
            </th>
            {COLUMNS.map((column) => (
              <SortableHeader key={column.key} column={column} sort={props.sort} onSort={props.onSort} />
            ))}
          </tr>
        </thead>
        <tbody
          className={`tbody${props.isRefreshing ? " refreshing" : ""}`}
          style={{ height: virtualizer.getTotalSize() }}
        >
          {items.map((item) => {
            const contact = rows[item.index];
            const style = { transform: `translateY(${item.start}px)`, height: ROW_HEIGHT };
            if (!contact) {
              return (
                <tr key={item.key} className="tr skeleton" style={style} aria-rowindex={item.index + 2}>
                  <td className="td" colSpan={COLUMNS.length + 1}>
                    <span className="sr-only">Loading…</span>
                    <span className="bone" />
                  </td>
                </tr>
              );
            }
            return (
              <ContactRow
                key={contact.id}
                contact={contact}
                index={item.index}
                start={item.start}
                checked={selection.matching || selection.ids.has(contact.id)}
                homeCountry={props.homeCountry}
                onToggle={props.onToggle}
                onOpen={props.onOpen}
              />
            );
          })}
        </tbody>
      </table>
      {!props.isLoading && rows.length === 0 && <div className="empty">{props.empty}</div>}
    </div>
  );
}

function SortableHeader({
  column,
  sort,
  onSort,
}: {
  column: (typeof COLUMNS)[number];
  sort: Sort;
  onSort: (sort: Sort) => void;
}) {
  const className = `td ${column.className ?? ""}`;
  if (!column.sort) {
    return (
      <th scope="col" className={className}>
        {column.title}
      </th>
    );
  }
  const key = column.sort;
  const state = sort === key ? "ascending" : sort === `-${key}` ? "descending" : undefined;
  const next = (state === "ascending" ? `-${key}` : key) as Sort;
  return (
    <th scope="col" className={className} aria-sort={state ?? "none"}>
      <button type="button" className="sort-button" onClick={() => onSort(next)}>
        {column.title}
        <span aria-hidden="true" className="sort-mark">
          {state === "ascending" ? "▲" : state === "descending" ? "▼" : "↕"}
        </span>
      </button>
    </th>
  );
}

interface ContactRowProps {
  contact: Contact;
  index: number;
  start: number;
  checked: boolean;
  homeCountry: string;
  onToggle: (id: string) => void;
  onOpen: (id: string) => void;
}

/** One row; memoised, so loading the next page or scrolling re-renders only rows that change. */
const ContactRow = memo(function ContactRow({
  contact,
  index,
  start,
  checked,
  homeCountry,
  onToggle,
  onOpen,
}: ContactRowProps) {
  const name = contactName(contact);
  return (
    <tr
      className={`tr${checked ? " selected" : ""}`}
      style={{ transform: `translateY(${start}px)`, height: ROW_HEIGHT }}
      aria-rowindex={index + 2}
    >
      <td className="td col-check">
        <input type="checkbox" aria-label={`Select ${name}`} checked={checked} onChange={() => onToggle(contact.id)} />
      </td>
      <td className="td">
        <button type="button" className="name-link" onClick={() => onOpen(contact.id)}>
          {name}
        </button>
      </td>
      <td className="td col-email">{contact.email}</td>
      <td className="td nowrap">{displayPhone(contact.phone, homeCountry)}</td>
      <td className="td col-language" title={contact.language ?? undefined}>
        {languageName(contact.language)}
      </td>
      <td className="td col-timezone">{contact.timezone?.replaceAll("_", " ")}</td>
      <td className="td col-tags">
        {contact.tags.map((tag) => (
          <span key={tag} className="tag small">
            {tag}
          </span>
        ))}
      </td>
      <td className="td col-channels">
        {seenChannels(contact.identities).map((channel) => (
          <ChannelMark key={channel} channel={channel} />
        ))}
      </td>
      <td className="td col-seen nowrap">{lastSeen(contact.lastSeenAt)}</td>
    </tr>
  );
});
