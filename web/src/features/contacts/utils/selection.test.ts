import { describe, expect, it } from "vitest";
import { NOTHING_SELECTED, selectedCount, toggleLoaded, toggleOne } from "./selection.ts";

describe("row selection", () => {
  const loaded = ["a", "b", "c"];

  it("ticks and unticks single rows", () => {
    const one = toggleOne(NOTHING_SELECTED, "b", loaded);
    expect([...one.ids]).toEqual(["b"]);
    expect(toggleOne(one, "b", loaded).ids.size).toBe(0);
  });

  it("ticks every loaded row, then none", () => {
    const all = toggleLoaded(NOTHING_SELECTED, loaded);
    expect([...all.ids]).toEqual(loaded);
    expect(toggleLoaded(all, loaded)).toBe(NOTHING_SELECTED);
  });

  it("counts all matching contacts, not only the loaded ones", () => {
    expect(selectedCount({ ids: new Set(), matching: true }, 1_000_000)).toBe(1_000_000);
    expect(selectedCount(toggleOne(NOTHING_SELECTED, "a", loaded), 1_000_000)).toBe(1);
  });

  it("unticking one row of all matching keeps the other loaded rows", () => {
    const rest = toggleOne({ ids: new Set(), matching: true }, "a", loaded);
    expect(rest).toEqual({ ids: new Set(["b", "c"]), matching: false });
  });
});
