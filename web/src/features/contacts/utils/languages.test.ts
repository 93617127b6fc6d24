import { describe, expect, it } from "vitest";
import { exactLanguage, languageName, languageOptions, searchLanguages } from "./languages.ts";

describe("languages", () => {
  const options = languageOptions(["nl-NL", "en"], "en");
  /** As a browser set to Dutch lists them. */
  const dutch = languageOptions(["en"], "nl-NL");

  it("offers the workspace's languages first, then all others by name", () => {
    expect(options.slice(0, 2)).toEqual([
      {
        id: "nl-NL",
        name: "Dutch (Netherlands)",
        names: ["Dutch (Netherlands)", "Nederlands (Nederland)"],
        preferred: true,
      },
      { id: "en", name: "English", names: ["English"], preferred: true },
    ]);
    const rest = options.slice(2);
    expect(rest.length).toBeGreaterThan(100);
    expect(rest.some((o) => o.id === "en")).toBe(false);
    expect(rest.map((o) => o.name)).toEqual(rest.map((o) => o.name).sort((a, b) => a.localeCompare(b, "en")));
  });

  it("names each language in the browser's language, in English and in itself", () => {
    expect(dutch.find((o) => o.id === "nl")).toMatchObject({ name: "Nederlands", names: ["Nederlands", "Dutch"] });
    expect(dutch.find((o) => o.id === "de")).toMatchObject({ name: "Duits", names: ["Duits", "German", "Deutsch"] });
    expect(dutch[0]).toMatchObject({ id: "en", name: "Engels", names: ["Engels", "English"] });
  });

  it("finds a language by any of its names, accents and case ignored, or by its code", () => {
    for (const text of ["Dutch", "Nederlands", "nederl", "NL"]) {
      expect(searchLanguages(dutch, text)[0]?.id, text).toBe("nl");
    }
    expect(searchLanguages(options, "francais").map((o) => o.id)).toContain("fr");
    expect(searchLanguages(options, "french").map((o) => o.id)).toContain("fr");
    expect(searchLanguages(options, "de").map((o) => o.id)).toContain("de");
    expect(searchLanguages(dutch, "dutchx")).toEqual([]);
  });

  it("puts what a text names exactly first, then names starting with it", () => {
    expect(searchLanguages(dutch, "de")[0]?.id).toBe("de");
    const ids = searchLanguages(options, "fr").map((o) => o.id);
    expect(ids[0]).toBe("fr");
  });

  it("knows which language a text names exactly, and that a fragment names none", () => {
    expect(exactLanguage(dutch, "Dutch")).toBe("nl");
    expect(exactLanguage(dutch, "  nederlands ")).toBe("nl");
    expect(exactLanguage(dutch, "nl")).toBe("nl");
    expect(exactLanguage(dutch, "ENGELS")).toBe("en");
    expect(exactLanguage(dutch, "Français")).toBe("fr");
    expect(exactLanguage(dutch, "francais")).toBe("fr");
    expect(exactLanguage(options, "Dutch (Netherlands)")).toBe("nl-NL");
    expect(exactLanguage(options, "nl-nl")).toBe("nl-NL");
    expect(exactLanguage(dutch, "Dutc")).toBeUndefined();
    expect(exactLanguage(dutch, "Dutchx")).toBeUndefined();
    expect(exactLanguage(dutch, "")).toBeUndefined();
  });

  it("names a tag, and falls back to the tag itself", () => {
    expect(languageName("fr-CA", "en")).toBe("Canadian French");
    expect(languageName("qq", "en")).toBe("qq");
    expect(languageName(null)).toBe("");
  });
});
