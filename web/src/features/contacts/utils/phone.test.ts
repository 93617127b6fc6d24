import { describe, expect, it } from "vitest";
import { phoneCountries } from "../../../lib/countries.ts";
import { countryOfPhone, displayPhone, formatAsTyped } from "./phone.ts";

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
