import { describe, expect, it } from "vitest";
import { CHANNEL_FORMS, initialValues, settingsBody } from "./channel-forms.ts";

const whatsapp = CHANNEL_FORMS.find((form) => form.channel === "whatsapp");
if (!whatsapp) throw new Error("no WhatsApp form");

describe("channel settings forms", () => {
  it("starts from the stored settings and never fills a secret in", () => {
    const values = initialValues(whatsapp, {
      phoneNumberId: "1234",
      businessAccountId: "5678",
      verifyToken: "hello",
      accessToken: "should never come back, but if it did",
    });
    expect(values).toEqual({
      apiBaseUrl: "",
      phoneNumberId: "1234",
      businessAccountId: "5678",
      accessToken: "",
      appSecret: "",
      verifyToken: "hello",
    });
  });

  it("leaves empty secrets of a configured channel and empty optional fields out, so the stored ones stay", () => {
    const values = { ...initialValues(whatsapp, null), phoneNumberId: " 1234 ", accessToken: "new" };
    expect(settingsBody(whatsapp, values, true)).toEqual({
      phoneNumberId: "1234",
      businessAccountId: "",
      accessToken: "new",
      verifyToken: "",
    });
    // A channel set up for the first time needs its secrets: an empty one is sent, and refused by name.
    expect(settingsBody(whatsapp, values, false)).toMatchObject({ appSecret: "" });
  });
});
