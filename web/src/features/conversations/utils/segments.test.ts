import { describe, expect, it } from "vitest";
import { smsSegments } from "./segments.ts";

describe("smsSegments", () => {
  it("counts nothing for an empty text", () => {
    expect(smsSegments("")).toEqual({ encoding: "GSM-7", units: 0, segments: 0, remaining: 160 });
  });

  it("sends 160 GSM-7 characters in one part and 161 in two of 153", () => {
    expect(smsSegments("a".repeat(160))).toMatchObject({ encoding: "GSM-7", segments: 1, remaining: 0 });
    expect(smsSegments("a".repeat(161))).toMatchObject({ segments: 2, remaining: 306 - 161 });
    expect(smsSegments("a".repeat(306))).toMatchObject({ segments: 2, remaining: 0 });
    expect(smsSegments("a".repeat(307))).toMatchObject({ segments: 3 });
  });

  it("keeps the GSM alphabet's accented letters in GSM-7", () => {
    expect(smsSegments("Hé Zoë, ça va? £5 à Ñandú")).toMatchObject({ encoding: "UCS-2" });
    expect(smsSegments("Hé Zoé, £5 à Ñ ü ö")).toMatchObject({ encoding: "GSM-7" });
  });

  it("counts extension characters twice", () => {
    expect(smsSegments("€")).toMatchObject({ encoding: "GSM-7", units: 2 });
    expect(smsSegments("€".repeat(80))).toMatchObject({ units: 160, segments: 1 });
    expect(smsSegments(`${"€".repeat(80)}a`)).toMatchObject({ units: 161, segments: 2 });
  });

  it("switches the whole text to UCS-2 for one character outside the alphabet: 70, then 67 per part", () => {
    expect(smsSegments("Zoë")).toMatchObject({ encoding: "UCS-2", units: 3, segments: 1, remaining: 67 });
    expect(smsSegments(`${"a".repeat(69)}ë`)).toMatchObject({ encoding: "UCS-2", segments: 1, remaining: 0 });
    expect(smsSegments(`${"a".repeat(70)}ë`)).toMatchObject({ segments: 2, remaining: 134 - 71 });
    expect(smsSegments(`${"a".repeat(133)}ë`)).toMatchObject({ segments: 2, remaining: 0 });
    expect(smsSegments(`${"a".repeat(134)}ë`)).toMatchObject({ segments: 3 });
  });

  it("counts an emoji as two UTF-16 units", () => {
    expect(smsSegments("👍")).toMatchObject({ encoding: "UCS-2", units: 2 });
    expect(smsSegments("👍".repeat(35))).toMatchObject({ units: 70, segments: 1 });
  });
});
