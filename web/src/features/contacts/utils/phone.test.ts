import { describe, expect, it } from "vitest";
import { phoneCountries } from "../../../lib/countries.ts";
import { countryOfPhone, countryOptions, displayPhone, exactCountry, formatAsTyped, searchCountries } from "./phone.ts";

describe("formatAsTyped", () => {
  it("groups a national number the way its country writes it", () => {
    expect(formatAsTyped("0612345678", "NL").text).toBe("06 12345678");
    expect(formatAsTyped("02079460958", "GB").text).toBe("020 7946 0958");
  });

  it("groups a number with + by its own country and reports that country", () => {
    expect(formatAsTyped("+442079460958", "NL")).toEqual({ text: "+44 20 7946 0958", country: "GB" });
    expect(formatAsTyped("+31612345678", "US")).toEqual({ text: "+31 6 12345678", country: "NL" });
  });

  it("formats each keystroke of a number being typed", () => {
    let text = "";
    for (const key of "0201234567") text = formatAsTyped(text + key, "NL", text).text;
    expect(text).toBe("020 123 4567");
  });

  it("leaves the text alone while the user deletes, so a space can be removed", () => {
    expect(formatAsTyped("06 1234567", "NL", "06 12345678")).toEqual({ text: "06 1234567" });
  });
});

describe("displayPhone", () => {
  it("shows the workspace's own numbers nationally and others internationally", () => {
    expect(displayPhone("+31612345678", "NL")).toBe("06 12345678");
    expect(displayPhone("+442079460958", "NL")).toBe("+44 20 7946 0958");
    expect(displayPhone("+442079460958", "GB")).toBe("020 7946 0958");
  });

  it("shows nothing for no number and the stored text for one it cannot read", () => {
    expect(displayPhone(null, "NL")).toBe("");
    expect(displayPhone("+999", "NL")).toBe("+999");
  });
});

describe("phone countries", () => {
  it("names every country with its calling code, sorted by name", () => {
    const countries = phoneCountries("en");
    expect(countries.find((c) => c.code === "NL")).toEqual({ code: "NL", name: "Netherlands", callingCode: "31" });
    const names = countries.map((c) => c.name);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, "en")));
  });

  it("finds the country of a stored number", () => {
    expect(countryOfPhone("+33612345678")).toBe("FR");
    expect(countryOfPhone(null)).toBeUndefined();
  });
});

describe("the Phone country picker", () => {
  /** As a browser set to Dutch lists them. */
  const dutch = countryOptions("nl-NL");
  const ids = (text: string) => searchCountries(dutch, text).map((c) => c.id);

  it("names each country in the browser's language, in English and in its own language", () => {
    expect(dutch.find((c) => c.id === "DE")).toEqual({
      id: "DE",
      name: "Duitsland",
      names: ["Duitsland", "Germany", "Deutschland"],
      callingCode: "49",
    });
    expect(dutch.find((c) => c.id === "GB")?.names).toEqual(["Verenigd Koninkrijk", "United Kingdom"]);
  });

  it("finds a country by any of its names, its code or its calling code", () => {
    expect(ids("duits")[0]).toBe("DE");
    expect(ids("Germany")).toEqual(["DE"]);
    expect(ids("deutschland")).toEqual(["DE"]);
    expect(ids("+44").sort()).toEqual(["GB", "GG", "IM", "JE"]);
    expect(ids("31")).toContain("NL");
    expect(ids("narnia")).toEqual([]);
  });

  it("knows which country a text names exactly; a calling code names one only when it is its own", () => {
    expect(exactCountry(dutch, "Duitsland")).toBe("DE");
    expect(exactCountry(dutch, "GERMANY")).toBe("DE");
    expect(exactCountry(dutch, "Deutschland")).toBe("DE");
    expect(exactCountry(dutch, "de")).toBe("DE");
    expect(exactCountry(dutch, "+31")).toBe("NL");
    expect(exactCountry(dutch, "32")).toBe("BE");
    expect(exactCountry(dutch, "+44")).toBeUndefined();
    expect(exactCountry(dutch, "Duits")).toBeUndefined();
    expect(exactCountry(dutch, "Narnia")).toBeUndefined();
  });

  it("reads a national number in no country when none is chosen", () => {
    expect(formatAsTyped("0612345678", undefined).text).toBe("0612345678");
  });
});
