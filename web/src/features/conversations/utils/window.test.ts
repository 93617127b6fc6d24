import { describe, expect, it } from "vitest";
import type { Message } from "../api/types.ts";
import { WINDOW_MS, windowClosesAt } from "./window.ts";

const now = Date.parse("2026-12-01T12:00:00Z");
const message = (fields: Partial<Message>): Message => ({
  id: "m",
  direction: "in",
  channel: "whatsapp",
  address: "+31612345678",
  text: "hi",
  subject: null,
  template: null,
  status: "delivered",
  error: null,
  providerId: null,
  sentBy: null,
  createdAt: new Date(now - 60_000).toISOString(),
  statusAt: "2026-12-01T12:00:00Z",
  conversationId: "c",
  contactId: "k",
  ...fields,
});

describe("the WhatsApp 24-hour window", () => {
  it("is open for 24 hours after the contact's newest message", () => {
    const closes = windowClosesAt(
      [message({ createdAt: new Date(now - 5 * 3600_000).toISOString() }), message({})],
      "+31612345678",
      now,
    );
    expect(closes?.getTime()).toBe(now - 60_000 + WINDOW_MS);
  });

  it("is closed when their last message is older than 24 hours, or there is none", () => {
    expect(windowClosesAt([message({ createdAt: new Date(now - WINDOW_MS).toISOString() })], "+31612345678", now)).toBe(
      null,
    );
    expect(windowClosesAt([], "+31612345678", now)).toBe(null);
  });

  it("is opened only by the contact's own WhatsApp messages on that number", () => {
    expect(
      windowClosesAt(
        [message({ direction: "out" }), message({ channel: "sms" }), message({ address: "+31687654321" })],
        "+31612345678",
        now,
      ),
    ).toBe(null);
  });
});
