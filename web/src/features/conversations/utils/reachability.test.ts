import { describe, expect, it } from "vitest";
import type { ChannelState, ContactForConversations } from "../api/types.ts";
import { reachability } from "./reachability.ts";

const contact = (fields: Partial<ContactForConversations>): ContactForConversations => ({
  id: "c1",
  firstName: "Zoë",
  lastName: null,
  email: null,
  phone: null,
  identities: [],
  ...fields,
});

const channels = (...configured: string[]): ChannelState[] =>
  (["email", "whatsapp", "sms"] as const).map((channel) => ({
    channel,
    configured: configured.includes(channel),
    settings: null,
    updatedAt: null,
  }));

describe("reachability", () => {
  it("reaches the e-mail by e-mail and the phone by WhatsApp and SMS", () => {
    const reach = reachability(contact({ email: "zoe@example.nl", phone: "+31612345678" }), channels("email", "sms"));
    expect(reach).toEqual([
      { channel: "email", address: "zoe@example.nl", configured: true },
      { channel: "whatsapp", address: "+31612345678", configured: false },
      { channel: "sms", address: "+31612345678", configured: true },
    ]);
  });

  it("adds identities on the channels it sends on, each address once", () => {
    const reach = reachability(
      contact({
        email: "zoe@example.nl",
        identities: [
          { channel: "email", address: "ZOE@example.nl", lastSeenAt: null },
          { channel: "email", address: "work@example.com", lastSeenAt: null },
          { channel: "whatsapp", address: "+31687654321", lastSeenAt: null },
          { channel: "webchat", address: "visitor-1", lastSeenAt: null },
          { channel: "api", address: "crm-1", lastSeenAt: null },
        ],
      }),
      channels("email", "whatsapp", "sms"),
    );
    expect(reach.map((r) => `${r.channel}:${r.address}`)).toEqual([
      "email:zoe@example.nl",
      "email:work@example.com",
      "whatsapp:+31687654321",
    ]);
  });

  it("reaches nobody without e-mail, phone or identities, and counts nothing configured before the channels load", () => {
    expect(reachability(contact({}), channels("email"))).toEqual([]);
    expect(reachability(contact({ email: "a@b.nl" }), undefined)).toEqual([
      { channel: "email", address: "a@b.nl", configured: false },
    ]);
  });
});
