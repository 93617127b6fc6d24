import { createHmac } from "node:crypto";

/** Meta's sample webhook payloads (WhatsApp Cloud API), for one phone number id. */
export function inboundPayload(
  phoneNumberId: string,
  from: string,
  name: string,
  id: string,
  text: string,
  at = new Date(),
) {
  return {
    object: "whatsapp_business_account",
    entry: [
      {
        id: "102290129340398",
        changes: [
          {
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "15550783881", phone_number_id: phoneNumberId },
              contacts: [{ profile: { name }, wa_id: from }],
              messages: [
                { from, id, timestamp: String(Math.floor(at.getTime() / 1000)), type: "text", text: { body: text } },
              ],
            },
            field: "messages",
          },
        ],
      },
    ],
  };
}

export function statusPayload(
  phoneNumberId: string,
  statuses: { id: string; status: string; errors?: unknown[] }[],
  recipient = "31612345678",
) {
  return {
    object: "whatsapp_business_account",
    entry: [
      {
        id: "102290129340398",
        changes: [
          {
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "15550783881", phone_number_id: phoneNumberId },
              statuses: statuses.map((s, i) => ({
                id: s.id,
                status: s.status,
                timestamp: String(Math.floor(Date.now() / 1000) + i),
                recipient_id: recipient,
                ...(s.status === "failed"
                  ? {}
                  : {
                      conversation: { id: "CONVERSATION_ID", origin: { type: "utility" } },
                      pricing: { billable: true, pricing_model: "CBP", category: "utility" },
                    }),
                ...(s.errors ? { errors: s.errors } : {}),
              })),
            },
            field: "messages",
          },
        ],
      },
    ],
  };
}

export const sign = (appSecret: string, body: string) =>
  `sha256=${createHmac("sha256", appSecret).update(body).digest("hex")}`;

/** POSTs a payload to the webhook as Meta does: the raw JSON, signed (or as given). */
export async function postWebhook(origin: string, body: unknown, signature?: string | null, appSecret?: string) {
  const raw = typeof body === "string" ? body : JSON.stringify(body);
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (signature !== null) headers["x-hub-signature-256"] = signature ?? sign(appSecret as string, raw);
  const response = await fetch(`${origin}/api/v1/channels/whatsapp/webhook`, { method: "POST", headers, body: raw });
  return { status: response.status, text: await response.text() };
}
