import { describe, expect, it } from "vitest";
import { neutralise, unneutralise } from "./neutralise.ts";

describe("neutralise", () => {
  it("prefixes what a spreadsheet would run as a formula", () => {
    for (const value of ["=SUM(A1)", "+1", "-2", "@cmd", "\tx", "\rx"]) {
      expect(neutralise(value, "text")).toBe(`'${value}`);
    }
    for (const value of ["Zoë", "a=b", "1-2", "'quoted", ""]) expect(neutralise(value, "text")).toBe(value);
  });

  it("keeps an E.164 phone as stored, in the phone column only", () => {
    expect(neutralise("+31612345678", "phone")).toBe("+31612345678");
    expect(neutralise("+31612345678", "text")).toBe("'+31612345678");
    expect(neutralise("+1-555", "phone")).toBe("'+1-555");
    expect(neutralise("=+31612345678", "phone")).toBe("'=+31612345678");
  });
});

describe("unneutralise", () => {
  it("takes off the ' that neutralise put on, and nothing else", () => {
    for (const value of ["=SUM(A1)", "+1", "-2", "@cmd", "\tx", "\rx", "Zoë", "'quoted", "", "'"]) {
      expect(unneutralise(neutralise(value, "text"))).toBe(value);
    }
    expect(unneutralise("'=1")).toBe("=1");
    expect(unneutralise("'abc")).toBe("'abc");
  });
});
