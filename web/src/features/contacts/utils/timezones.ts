import { exactMatch } from "./names.ts";

/** A time zone as the pickers show it: its IANA name and its offset from UTC now. */
export interface TimeZoneOption {
  id: string;
  /** What it may be typed as: its IANA name, with spaces for `_` and `/`, and its city ("Sao Paulo"). */
  names: string[];
  /** "UTC+01:00" */
  offset: string;
  /** "(UTC+01:00) Europe/Amsterdam" */
  label: string;
  /** Minutes east of UTC, for sorting. */
  minutes: number;
}

/** The offset of `zone` at `date` as "+01:00", read from Intl (no zone data of our own). */
export function utcOffset(zone: string, date = new Date()): { text: string; minutes: number } {
  const part = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" })
    .formatToParts(date)
    .find((p) => p.type === "timeZoneName")?.value;
  // "GMT+05:30", or "GMT" for UTC itself.
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(part ?? "");
  if (!match) return { text: "+00:00", minutes: 0 };
  const minutes = (Number(match[2]) * 60 + Number(match[3])) * (match[1] === "-" ? -1 : 1);
  return { text: `${match[1]}${match[2]}:${match[3]}`, minutes };
}

export function allTimeZones(date = new Date()): TimeZoneOption[] {
  const zones = Intl.supportedValuesOf("timeZone");
  if (!zones.includes("UTC")) zones.push("UTC");
  return zones.map((id) => zoneOption(id, date)).sort((a, b) => a.minutes - b.minutes || a.id.localeCompare(b.id));
}

/** "America/Sao_Paulo" answers to "America/Sao Paulo", "America Sao Paulo" and "Sao Paulo". */
function zoneNames(id: string): string[] {
  const spaced = id.replaceAll("_", " ");
  const city = spaced.split("/").at(-1) ?? spaced;
  return [id, spaced, spaced.replaceAll("/", " "), city];
}

export const browserTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

const fold = (text: string) => text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().replace(/[_/]+/g, " ");

/**
 * The zones matching what the user typed: every word must appear in the zone's name
 * (ignoring case, accents, `_` and `/`: "sao paulo" finds America/Sao_Paulo), or the text
 * is an offset ("+1", "+05:30", "utc-3", "GMT+2") and the zone is at that offset now.
 */
export function searchTimeZones(options: TimeZoneOption[], text: string): TimeZoneOption[] {
  const query = text.trim();
  if (query === "") return options;
  const offset = /^(?:utc|gmt)?\s*([+-−])\s*(\d{1,2})(?::?(\d{2}))?$/i.exec(query);
  if (offset) {
    const sign = offset[1] === "+" ? 1 : -1;
    const minutes = sign * (Number(offset[2]) * 60 + Number(offset[3] ?? 0));
    return options.filter((o) => o.minutes === minutes);
  }
  if (/^(utc|gmt)$/i.test(query)) return options.filter((o) => o.minutes === 0);
  const words = fold(query).split(/\s+/);
  return options.filter((o) => {
    const name = fold(o.id);
    return words.every((word) => name.includes(word));
  });
}

/**
 * The zone the text names exactly: its IANA name or its city, ignoring case, accents and
 * `_` ("europe/amsterdam", "Amsterdam", "são paulo"). An offset names many zones, so it
 * names none. A city two zones share goes to the first in the list.
 */
export const exactTimeZone = (options: TimeZoneOption[], text: string) =>
  exactMatch(options, text.replaceAll("_", " "))?.id;

function zoneOption(id: string, date = new Date()): TimeZoneOption {
  const { text, minutes } = utcOffset(id, date);
  return { id, names: zoneNames(id), offset: `UTC${text}`, label: `(UTC${text}) ${id.replaceAll("_", " ")}`, minutes };
}
