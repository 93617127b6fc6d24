import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { AxeBuilder } from "@axe-core/playwright";
import type { Browser, Page } from "playwright-core";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inboundPayload, postWebhook, statusPayload } from "../meta.ts";
import { createWorkspace, startServer, type TestServer, type Workspace } from "../server.ts";
import { browserAvailable, buildWebIfStale, launchChromium, openPage } from "./browser.ts";

/**
 * Reaching a contact from the web app, against real outside services the test starts: an
 * SMTP server (the `smtp-server` package) that e-mail is configured against in Settings →
 * Channels, and a local HTTP server answering Meta's template list for WhatsApp.
 */
const SCREENSHOTS = new URL("../../docs/screenshots/", import.meta.url).pathname;

interface Received {
  from: string;
  to: string[];
  raw: string;
}

/** The address the test's SMTP server refuses, as a mailbox that does not exist. */
const REFUSED = "max@example.de";

/** An SMTP server that keeps what it receives; `next()` resolves with the next message. */
async function startSmtp() {
  const received: Received[] = [];
  const waiting: ((message: Received) => void)[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address === REFUSED) {
        const error = new Error("5.1.1 <max@example.de>: Recipient address rejected: User unknown") as Error & {
          responseCode: number;
        };
        error.responseCode = 550;
        callback(error);
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const message = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          raw: Buffer.concat(chunks).toString("utf8"),
        };
        const waiter = waiting.shift();
        if (waiter) waiter(message);
        else received.push(message);
        callback();
      });
    },
  });
  server.listen(0, "127.0.0.1");
  await once(server.server, "listening");
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    next: () =>
      new Promise<Received>((resolve) => {
        const ready = received.shift();
        if (ready) resolve(ready);
        else waiting.push(resolve);
      }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const TEMPLATES = {
  data: [
    {
      name: "welcome_back",
      language: "en",
      status: "APPROVED",
      category: "MARKETING",
      id: "1001",
      components: [{ type: "BODY", text: "Hi {{1}}, we have news for you." }],
    },
    {
      name: "draft_offer",
      language: "en",
      status: "PENDING",
      category: "MARKETING",
      id: "1002",
      components: [{ type: "BODY", text: "Offer for {{1}}" }],
    },
  ],
  paging: { cursors: { before: "QVFIU", after: "QVFIU" } },
};

/**
 * Meta's Graph API as far as this test needs it: the template list of a business account
 * and sending a message from a phone number (`sent()` resolves with the next one's body).
 */
async function startMeta(businessAccountId: string, phoneNumberId: string) {
  const requests: string[] = [];
  const waiting: ((body: Record<string, unknown>) => void)[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const path = new URL(req.url ?? "/", "http://meta.test").pathname;
    if (req.method === "GET" && path.endsWith(`/${businessAccountId}/message_templates`)) {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(TEMPLATES));
      return;
    }
    if (req.method === "POST" && path.endsWith(`/${phoneNumberId}/messages`)) {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
        res.writeHead(200, { "content-type": "application/json" });
        res.end(
          JSON.stringify({
            messaging_product: "whatsapp",
            contacts: [{ input: String(body.to), wa_id: String(body.to).replace("+", "") }],
            messages: [{ id: "wamid.OUT1" }],
          }),
        );
        waiting.shift()?.(body);
      });
      return;
    }
    res.writeHead(400, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: { message: "Unsupported request", type: "GraphMethodException", code: 100 } }));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}/v21.0`,
    requests,
    sent: () => new Promise<Record<string, unknown>>((resolve) => waiting.push(resolve)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.skipIf(!browserAvailable())("reaching a contact in Chromium", () => {
  let server: TestServer;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let meta: Awaited<ReturnType<typeof startMeta>>;
  let workspace: Workspace;
  let contactId: string;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    buildWebIfStale();
    [smtp, meta] = await Promise.all([startSmtp(), startMeta("998877", "112233")]);
    // The SMTP server and Meta's stand-in listen on loopback, which channels refuse unless allowed.
    server = await startServer("pglite", { CHANNELS_ALLOW_PRIVATE: "1" });
    workspace = await createWorkspace(server, "Acme Support");
    const contact = await workspace.admin.post("/contacts", {
      firstName: "Zoë",
      lastName: "de Vries",
      email: "zoe@example.nl",
      phone: "+31612345678",
    });
    expect(contact.status).toBe(201);
    contactId = contact.body.id;
    const other = await workspace.admin.post("/contacts", {
      firstName: "Max",
      lastName: "Mustermann",
      email: "max@example.de",
    });
    expect(other.status).toBe(201);

    browser = await launchChromium();
    ({ page } = await openPage(
      browser,
      {
        locale: "en-GB",
        viewport: { width: 1280, height: 900 },
        cookie: workspace.adminSession.auth.cookie as string,
        origin: server.origin,
      },
      pageErrors,
    ));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await smtp?.close();
    await meta?.close();
  });

  const panel = () => page.getByRole("complementary", { name: "Contact" });
  const dialog = () => page.getByRole("dialog");
  const emailSettings = () => page.getByRole("region", { name: "E-mail" });

  async function seriousViolations() {
    const result = await new AxeBuilder({ page }).exclude("[data-live-announcer]").analyze();
    return result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.html).join(", ")})`);
  }

  it("lists a contact's identities, marks its channels in the list, filters by channel and removes one", async () => {
    // A bot met Zoë on WhatsApp.
    const identified = await workspace.operator.post("/contacts/identify", {
      channel: "whatsapp",
      address: "+31612345678",
      profile: { phone: "+31612345678" },
    });
    expect(identified.status, identified.text).toBe(200);
    expect(identified.body.contact.id).toBe(contactId);

    await page.goto(`${server.origin}/studio/contacts`);
    const zoe = page.getByRole("row").filter({ hasText: "Zoë de Vries" });
    await zoe.getByText("WhatsApp").waitFor({ state: "attached" });
    await page.getByRole("combobox", { name: "Filter by channel" }).selectOption("whatsapp");
    await page.waitForURL((url) => url.searchParams.get("channel") === "whatsapp");
    await page.getByText("1 match").waitFor();
    expect(await page.getByRole("row").filter({ hasText: "Max Mustermann" }).count()).toBe(0);

    await zoe.getByRole("button", { name: "Zoë de Vries" }).click();
    await panel().getByRole("heading", { name: "Zoë de Vries" }).waitFor();
    const identities = panel().getByRole("region", { name: "Identities" });
    await identities.getByText("+31612345678").waitFor();
    // Seen just now: "Last seen" is no longer "Never".
    await panel()
      .getByText(/now|second/)
      .first()
      .waitFor();
    expect(await seriousViolations()).toEqual([]);

    // A second identity to remove, so WhatsApp stays for the tests after this one.
    const webchat = await workspace.operator.post("/contacts/identify", {
      channel: "webchat",
      address: "visitor-42",
      profile: { email: "zoe@example.nl" },
    });
    expect(webchat.status, webchat.text).toBe(200);
    await page.reload();
    await identities.getByText("visitor-42").waitFor();
    await identities.getByRole("button", { name: "Remove webchat visitor-42" }).click();
    await identities.getByText("visitor-42").waitFor({ state: "detached" });
    const after = await workspace.admin.get(`/contacts/${contactId}`);
    expect(after.body.identities.map((i: { channel: string }) => i.channel)).toEqual(["whatsapp"]);
  });

  it("configures e-mail in Settings → Channels against the test's SMTP server and sends a test", async () => {
    const configured = await workspace.admin.put("/channels/whatsapp", {
      apiBaseUrl: meta.baseUrl,
      phoneNumberId: "112233",
      businessAccountId: "998877",
      accessToken: "EAAG-test-token",
      appSecret: "app-secret-for-tests",
      verifyToken: "verify-me",
    });
    expect(configured.status, configured.text).toBeLessThan(300);
    await page.goto(`${server.origin}/studio/settings?tab=channels`);
    await page.getByRole("tab", { name: "Channels", selected: true }).waitFor();
    await emailSettings().getByText("not configured").waitFor();
    await emailSettings().getByRole("textbox", { name: "SMTP URL" }).fill(`smtp://127.0.0.1:${smtp.port}`);
    await emailSettings().getByRole("textbox", { name: "From" }).fill("Acme Support <support@acme.test>");
    await emailSettings().getByRole("button", { name: "Save" }).click();
    await emailSettings().getByText("configured", { exact: true }).waitFor();
    // WhatsApp was set up through the API: configured, its secrets shown as set and never filled in.
    const whatsapp = page.getByRole("region", { name: "WhatsApp" });
    await whatsapp.getByText("configured", { exact: true }).waitFor();
    expect(await whatsapp.getByLabel("Access token").inputValue()).toBe("");
    await expect(page.content()).resolves.not.toContain("EAAG-test-token");
    await page.screenshot({ path: `${SCREENSHOTS}channels-light.png`, fullPage: true });
    expect(await seriousViolations()).toEqual([]);

    const received = smtp.next();
    await emailSettings().getByRole("textbox", { name: "Test e-mail address" }).fill("ann@acme.test");
    await emailSettings().getByRole("button", { name: "Send test" }).click();
    const test = await received;
    expect(test.to).toEqual(["ann@acme.test"]);
    await emailSettings()
      .getByRole("status")
      .getByText(/accepted a test e-mail/)
      .waitFor();
  });

  it("starts a conversation by e-mail: the message reaches the SMTP server and shows as sent", async () => {
    await page.goto(`${server.origin}/studio/contacts?contact=${contactId}`);
    await panel().getByRole("heading", { name: "Zoë de Vries" }).waitFor();
    await panel().getByRole("button", { name: "Start new conversation" }).click();
    await dialog().getByRole("heading", { name: "Start new conversation" }).waitFor();
    const channel = dialog().getByRole("radiogroup", { name: "Channel" });
    // The phone reaches SMS too, which this workspace has not set up: shown, not offered.
    const sms = channel.getByRole("radio", { name: /SMS/ });
    await sms.waitFor();
    expect(await sms.isDisabled()).toBe(true);
    await channel.getByText("not configured").waitFor();
    await dialog()
      .getByRole("link", { name: /Settings → Channels/ })
      .waitFor();

    await channel.getByRole("radio", { name: /E-mail/ }).check({ force: true });
    await dialog().getByRole("textbox", { name: "Subject" }).fill("Your order, Zoë");
    await dialog().getByRole("textbox", { name: "Message" }).fill("Hello Zoë,\nyour order is on its way.");
    await page.screenshot({ path: `${SCREENSHOTS}conversation-dialog-light.png` });
    expect(await seriousViolations()).toEqual([]);
    const received = smtp.next();
    await dialog().getByRole("button", { name: "Send" }).click();
    await dialog().waitFor({ state: "detached" });

    const mail = await received;
    expect(mail.to).toEqual(["zoe@example.nl"]);
    expect(mail.from).toBe("support@acme.test");
    expect(mail.raw).toMatch(/^Subject: /m);
    expect(mail.raw).toMatch(/on its way/);

    const conversations = panel().getByRole("region", { name: "Conversations" });
    await conversations.getByText("zoe@example.nl").waitFor();
    // The panel follows the message from queued to sent without a reload.
    await conversations.getByText("sent", { exact: true }).first().waitFor();
    await conversations.getByRole("listitem").filter({ hasText: "your order is on its way" }).first().waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}conversations-light.png` });
  });

  it("shows a message the SMTP server refused as failed, with the server's reply", async () => {
    const list = await workspace.admin.get("/contacts?q=Mustermann");
    await page.goto(`${server.origin}/studio/contacts?contact=${list.body.items[0].id}`);
    await panel().getByRole("heading", { name: "Max Mustermann" }).waitFor();
    await panel().getByRole("button", { name: "Start new conversation" }).click();
    // E-mail is the only configured way to reach Max, so it is chosen already.
    await dialog().getByRole("textbox", { name: "Subject" }).fill("Hello");
    await dialog().getByRole("textbox", { name: "Message" }).fill("Are you there?");
    await dialog().getByRole("button", { name: "Send" }).click();
    await dialog().waitFor({ state: "detached" });
    const messages = panel().getByRole("region", { name: "Conversations" }).getByRole("list", { name: "Messages" });
    await messages.getByText("failed", { exact: true }).waitFor();
    await messages.getByText(/User unknown/).waitFor();
    await page.goto(`${server.origin}/studio/contacts?contact=${contactId}`);
    await panel().getByRole("heading", { name: "Zoë de Vries" }).waitFor();
  });

  it("offers WhatsApp outside the 24-hour window only through an approved template", async () => {
    await panel().getByRole("button", { name: "Start new conversation" }).click();
    const channel = dialog().getByRole("radiogroup", { name: "Channel" });
    await channel.getByRole("radio", { name: /WhatsApp/ }).check({ force: true });
    const template = dialog().getByRole("combobox", { name: "Template" });
    await template.waitFor();
    expect(await dialog().getByRole("textbox", { name: "Message" }).count()).toBe(0);
    // Only the approved template is offered, and being the only one it is chosen already.
    const options = await template.locator("option").allTextContents();
    expect(options.some((text) => text.includes("welcome_back"))).toBe(true);
    expect(options.some((text) => text.includes("draft_offer"))).toBe(false);
    const first = dialog().getByRole("textbox", { name: "Variable {{1}}" });
    expect(await first.inputValue()).toBe("Zoë");
    await dialog().getByText("Hi Zoë, we have news for you.").waitFor();
    await first.fill("Zoë V.");
    await dialog().getByText("Hi Zoë V., we have news for you.").waitFor();
    expect(meta.requests.some((line) => line.startsWith("GET /v21.0/998877/message_templates"))).toBe(true);
    expect(await seriousViolations()).toEqual([]);
    await dialog().getByRole("button", { name: "Cancel" }).click();
    await dialog().waitFor({ state: "detached" });
  });

  it("offers free text once the contact wrote on WhatsApp, and follows the message to read", async () => {
    const inbound = inboundPayload("112233", "31612345678", "Zoë", "wamid.IN1", "Hi, where is my order?");
    const posted = await postWebhook(server.origin, inbound, undefined, "app-secret-for-tests");
    expect(posted.status, posted.text).toBe(200);
    await page.reload();
    await panel().getByRole("heading", { name: "Zoë de Vries" }).waitFor();
    await panel().getByRole("region", { name: "Conversations" }).getByText("Hi, where is my order?").waitFor();

    await panel().getByRole("button", { name: "Start new conversation" }).click();
    await dialog()
      .getByRole("radiogroup", { name: "Channel" })
      .getByRole("radio", { name: /WhatsApp/ })
      .check({ force: true });
    await dialog()
      .getByText(/wrote in the last 24 hours/)
      .waitFor();
    expect(await dialog().getByRole("combobox", { name: "Template" }).count()).toBe(0);
    await dialog().getByRole("textbox", { name: "Message" }).fill("It ships today, Zoë.");
    const sent = meta.sent();
    await dialog().getByRole("button", { name: "Send" }).click();
    await dialog().waitFor({ state: "detached" });
    const body = await sent;
    expect(body).toMatchObject({ messaging_product: "whatsapp", type: "text", text: { body: "It ships today, Zoë." } });

    const conversations = panel().getByRole("region", { name: "Conversations" });
    const messages = conversations.getByRole("list", { name: "Messages" });
    await messages
      .getByRole("listitem")
      .filter({ hasText: "It ships today" })
      .getByText("sent", { exact: true })
      .waitFor();
    // Meta reports it read: the open conversation shows it without a reload.
    const read = await postWebhook(
      server.origin,
      statusPayload("112233", [{ id: "wamid.OUT1", status: "read" }]),
      undefined,
      "app-secret-for-tests",
    );
    expect(read.status, read.text).toBe(200);
    await messages
      .getByRole("listitem")
      .filter({ hasText: "It ships today" })
      .getByText("read", { exact: true })
      .waitFor();
    expect(pageErrors).toEqual([]);
  });
});
