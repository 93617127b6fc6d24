import { describe, expect, it } from "vitest";
import { allTimeZones, exactTimeZone, searchTimeZones, utcOffset } from "./timezones.ts";

// A fixed winter day, so offsets do not move with daylight saving time.
const WINTER = new Date("2026-01-15T12:00:00Z");
const zones = allTimeZones(WINTER);
const ids = (text: string) => searchTimeZones(zones, text).map((zone) => zone.id);

describe("time zones", () => {
  it("lists the runtime's zones with their UTC offset, west to east", () => {
    const amsterdam = zones.find((zone) => zone.id === "Europe/Amsterdam");
    expect(amsterdam).toMatchObject({ offset: "UTC+01:00", label: "(UTC+01:00) Europe/Amsterdam", minutes: 60 });
    expect(amsterdam?.names).toContain("Amsterdam");
    expect(zones.map((zone) => zone.minutes)).toEqual([...zones.map((zone) => zone.minutes)].sort((a, b) => a - b));
    expect(zones.some((zone) => zone.id === "UTC")).toBe(true);
  });

  it("reads offsets of half and quarter hours and west of UTC", () => {
    expect(utcOffset("Asia/Kolkata", WINTER)).toEqual({ text: "+05:30", minutes: 330 });
    expect(utcOffset("Asia/Kathmandu", WINTER)).toEqual({ text: "+05:45", minutes: 345 });
    expect(utcOffset("America/New_York", WINTER)).toEqual({ text: "-05:00", minutes: -300 });
    expect(utcOffset("UTC", WINTER)).toEqual({ text: "+00:00", minutes: 0 });
  });

  it("finds a zone by a city however it is typed", () => {
    expect(ids("amsterdam")).toEqual(["Europe/Amsterdam"]);
    expect(ids("São Paulo")).toEqual(["America/Sao_Paulo"]);
    expect(ids("new york")).toEqual(["America/New_York"]);
    expect(ids("europe amst")).toEqual(["Europe/Amsterdam"]);
  });

  it("finds every zone at an offset", () => {
    expect(ids("+5:30")).toContain("Asia/Colombo");
    expect(ids("UTC+05:30").every((id) => utcOffset(id, WINTER).minutes === 330)).toBe(true);
    expect(ids("+1")).toContain("Europe/Amsterdam");
    expect(ids("gmt-5")).toContain("America/New_York");
    expect(ids("utc")).toContain("UTC");
  });

  it("returns everything for an empty search and nothing for nonsense", () => {
    expect(searchTimeZones(zones, "  ")).toHaveLength(zones.length);
    expect(ids("atlantis")).toEqual([]);
  });

  it("knows which zone a text names exactly: its IANA name or its city, however it is typed", () => {
    expect(exactTimeZone(zones, "Europe/Amsterdam")).toBe("Europe/Amsterdam");
    expect(exactTimeZone(zones, "europe/amsterdam")).toBe("Europe/Amsterdam");
    expect(exactTimeZone(zones, "Amsterdam")).toBe("Europe/Amsterdam");
    expect(exactTimeZone(zones, "europe amsterdam")).toBe("Europe/Amsterdam");
    expect(exactTimeZone(zones, "são paulo")).toBe("America/Sao_Paulo");
    expect(exactTimeZone(zones, "America/Sao_Paulo")).toBe("America/Sao_Paulo");
    expect(exactTimeZone(zones, "NEW YORK")).toBe("America/New_York");
    expect(exactTimeZone(zones, "utc")).toBe("UTC");
  });

  it("lets neither a fragment nor an offset name a zone, since they name many or none", () => {
    expect(exactTimeZone(zones, "amsterda")).toBeUndefined();
    expect(exactTimeZone(zones, "amsterdamx")).toBeUndefined();
    expect(exactTimeZone(zones, "+1")).toBeUndefined();
    expect(exactTimeZone(zones, "UTC+01:00")).toBeUndefined();
    expect(exactTimeZone(zones, "")).toBeUndefined();
  });
});
