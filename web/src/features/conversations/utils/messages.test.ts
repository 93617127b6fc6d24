import { describe, expect, it } from "vitest";
import type { Message } from "../api/types.ts";
import { errorText, messageSummary } from "./messages.ts";

const message = (fields: Partial<Message>): Message => ({
  id: "m",
  direction: "out",
  channel: "whatsapp",
  address: "+31612345678",
  text: null,
  subject: null,
  template: null,
  status: "sent",
  error: null,
  providerId: null,
  sentBy: null,
  createdAt: "2026-12-01T12:00:00Z",
  statusAt: "2026-12-01T12:00:00Z",
  conversationId: "c",
  contactId: "k",
  ...fields,
});

describe("message texts", () => {
  it("says what WhatsApp's re-engagement and undeliverable errors mean", () => {
    expect(errorText({ code: 131047, message: "Re-engagement message" })).toMatch(/^More than 24 hours.*\(131047\)$/);
    expect(errorText({ code: "131026", message: "Message undeliverable" })).toMatch(/could not deliver/);
  });

  it("keeps any other provider's text, with its code once", () => {
    expect(errorText({ code: "550", message: "Mailbox unavailable" })).toBe("Mailbox unavailable (550)");
    expect(errorText({ code: "550", message: "550 5.1.1 No such user" })).toBe("550 5.1.1 No such user");
    expect(errorText({ code: null, message: "Connection refused" })).toBe("Connection refused");
  });

  it("sums a message up by its text, else its template, shortened in lists", () => {
    expect(messageSummary(message({ text: "Hello" }))).toBe("Hello");
    expect(messageSummary(message({ template: { name: "welcome", language: "en", parameters: { "1": "Zoë" } } }))).toBe(
      "Template welcome (Zoë)",
    );
    expect(messageSummary(message({ text: "x".repeat(200) }))).toHaveLength(80);
    expect(messageSummary(message({ text: "x".repeat(200) }), { full: true })).toHaveLength(200);
  });
});
