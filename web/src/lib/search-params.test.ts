import { describe, expect, it } from "vitest";
import { many, one, parseSearch, stringifySearch } from "./search-params.ts";

describe("search params", () => {
  it("reads repeated keys as lists and single ones as strings", () => {
    expect(parseSearch("?q=zo%C3%AB&tag=Sales&tag=Billing&sort=name")).toEqual({
      q: "zoë",
      tag: ["Sales", "Billing"],
      sort: "name",
    });
    expect(parseSearch("")).toEqual({});
  });

  it("writes lists as repeated keys and leaves empty values out", () => {
    expect(stringifySearch({ q: "zoë de vries", tag: ["Sales", "Billing"], contact: undefined, language: "" })).toBe(
      "?q=zo%C3%AB+de+vries&tag=Sales&tag=Billing",
    );
    expect(stringifySearch({})).toBe("");
  });

  it("round-trips what it writes", () => {
    const search = { q: "a&b=c", tag: ["x y", "z"], sort: "-name" };
    expect(parseSearch(stringifySearch(search))).toEqual(search);
  });

  it("coerces a param to one string or a list", () => {
    expect(one(["a", "b"])).toBe("a");
    expect(one("")).toBeUndefined();
    expect(one(3)).toBeUndefined();
    expect(many("a")).toEqual(["a"]);
    expect(many(["a", "", 1])).toEqual(["a"]);
    expect(many(undefined)).toEqual([]);
  });
});
