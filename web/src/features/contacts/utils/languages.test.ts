import { describe, expect, it } from "vitest";
import { languageName, languageOptions, searchLanguages } from "./languages.ts";

describe("languages", () => {
  const options = languageOptions(["nl-NL", "en"], "en");

  it("offers the workspace's languages first, then all others by name", () => {
    expect(options.slice(0, 2)).toEqual([
      { id: "nl-NL", name: "Dutch (Netherlands)", preferred: true },
      { id: "en", name: "English", preferred: true },
    ]);
    const rest = options.slice(2);
    expect(rest.length).toBeGreaterThan(100);
    expect(rest.some((o) => o.id === "en")).toBe(false);
    expect(rest.map((o) => o.name)).toEqual(rest.map((o) => o.name).sort((a, b) => a.localeCompare(b, "en")));
  });

  it("finds a language by its name, accents ignored, or by its code", () => {
    expect(searchLanguages(options, "francais").map((o) => o.id)).toEqual([]);
    expect(searchLanguages(options, "french").map((o) => o.id)).toContain("fr");
    expect(searchLanguages(options, "de").map((o) => o.id)).toContain("de");
  });

  it("names a tag, and falls back to the tag itself", () => {
    expect(languageName("fr-CA", "en")).toBe("Canadian French");
    expect(languageName("qq", "en")).toBe("qq");
    expect(languageName(null)).toBe("");
  });
});
