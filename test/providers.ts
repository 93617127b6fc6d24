import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

/** One request a fake provider received. */
export interface Received {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
}

export interface FakeProvider {
  url: string;
  received: Received[];
  /** Answers for the next sends, in order (then the normal answer). */
  next: { status: number; body: unknown }[];
  /** Resolves when `n` sends have been received in all. */
  sends(n: number): Promise<Received[]>;
  close(): Promise<void>;
}

async function listen(server: Server) {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function fake(
  handle: (request: Received, count: number) => { status: number; body: unknown },
  isSend: (r: Received) => boolean,
) {
  const received: Received[] = [];
  const next: { status: number; body: unknown }[] = [];
  const waiters: { n: number; resolve: (r: Received[]) => void }[] = [];
  let sends = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const request = {
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      };
      received.push(request);
      let answer: { status: number; body: unknown };
      if (isSend(request)) {
        sends++;
        answer = next.shift() ?? handle(request, sends);
      } else answer = handle(request, sends);
      res.writeHead(answer.status, { "content-type": "application/json" });
      res.end(JSON.stringify(answer.body));
      for (const w of [...waiters]) {
        const all = received.filter(isSend);
        if (all.length >= w.n) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(all);
        }
      }
    });
  });
  return {
    server,
    received,
    next,
    sends: (n: number) =>
      new Promise<Received[]>((resolve) => {
        const all = received.filter(isSend);
        if (all.length >= n) resolve(all);
        else waiters.push({ n, resolve });
      }),
  };
}

export const TEMPLATES = [
  {
    name: "order_update",
    language: "en_US",
    category: "UTILITY",
    status: "APPROVED",
    id: "1001",
    components: [
      { type: "HEADER", format: "TEXT", text: "Order {{1}}" },
      { type: "BODY", text: "Hello {{1}}, your order {{2}} has shipped." },
      { type: "BUTTONS", buttons: [{ type: "URL", text: "Track", url: "https://shop.example/track/{{1}}" }] },
    ],
  },
  {
    name: "welcome",
    language: "nl",
    category: "MARKETING",
    status: "APPROVED",
    id: "1002",
    components: [{ type: "BODY", text: "Welkom {{1}}!" }],
  },
  { name: "draft_one", language: "en_US", category: "MARKETING", status: "PENDING", id: "1003", components: [] },
];

/** Meta's Graph API for WhatsApp: sends, templates, the phone number. */
export async function fakeMeta(accessToken: string): Promise<FakeProvider> {
  const isSend = (r: Received) => r.method === "POST" && /\/messages$/.test(r.path);
  const f = fake((request) => {
    if (request.headers.authorization !== `Bearer ${accessToken}`) {
      return {
        status: 401,
        body: {
          error: {
            message: "Invalid OAuth access token - Cannot parse access token",
            type: "OAuthException",
            code: 190,
            fbtrace_id: "AbCdEf",
          },
        },
      };
    }
    if (isSend(request)) {
      const to = (JSON.parse(request.body) as { to: string }).to;
      return {
        status: 200,
        body: {
          messaging_product: "whatsapp",
          contacts: [{ input: to, wa_id: to.replace(/\D/g, "") }],
          messages: [{ id: `wamid.${randomBytes(12).toString("hex")}` }],
        },
      };
    }
    if (/\/message_templates/.test(request.path)) {
      return { status: 200, body: { data: TEMPLATES, paging: { cursors: { before: "MAZDZD", after: "MjQZD" } } } };
    }
    return { status: 200, body: { display_phone_number: "+31 20 123 4567", verified_name: "Shop", id: "1" } };
  }, isSend);
  const url = await listen(f.server);
  return {
    url,
    received: f.received,
    next: f.next,
    sends: f.sends,
    close: () => new Promise((r) => f.server.close(() => r())),
  };
}

export const metaError = (code: number, message: string, details?: string) => ({
  error: {
    message,
    type: "OAuthException",
    code,
    ...(details ? { error_data: { messaging_product: "whatsapp", details } } : {}),
    fbtrace_id: "A1b2C3",
  },
});

/** Twilio's Messages API. */
export async function fakeTwilio(accountSid: string, authToken: string): Promise<FakeProvider> {
  const isSend = (r: Received) => r.method === "POST" && r.path.endsWith("/Messages.json");
  const f = fake((request) => {
    const basic = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString("base64")}`;
    if (request.headers.authorization !== basic || !request.path.includes(`/Accounts/${accountSid}/`)) {
      return {
        status: 401,
        body: {
          code: 20003,
          message: "Authenticate",
          more_info: "https://www.twilio.com/docs/errors/20003",
          status: 401,
        },
      };
    }
    const form = new URLSearchParams(request.body);
    return {
      status: 201,
      body: {
        sid: `SM${randomBytes(16).toString("hex")}`,
        account_sid: accountSid,
        to: form.get("To"),
        from: form.get("From"),
        body: form.get("Body"),
        status: "queued",
        num_segments: "1",
        direction: "outbound-api",
        api_version: "2010-04-01",
        error_code: null,
        error_message: null,
      },
    };
  }, isSend);
  const url = await listen(f.server);
  return {
    url,
    received: f.received,
    next: f.next,
    sends: f.sends,
    close: () => new Promise((r) => f.server.close(() => r())),
  };
}

export interface Mail {
  from: string;
  to: string[];
  raw: string;
}

export interface FakeSmtp {
  port: number;
  url: string;
  mails: Mail[];
  /** Recipients the server refuses with 550. */
  refuse: Set<string>;
  next(n: number): Promise<Mail[]>;
  close(): Promise<void>;
}

/** A real SMTP server (smtp-server), without TLS, taking any login. */
export async function fakeSmtp(port = 0): Promise<FakeSmtp> {
  const mails: Mail[] = [];
  const refuse = new Set<string>();
  const waiters: { n: number; resolve: (m: Mail[]) => void }[] = [];
  const server = new SMTPServer({
    disabledCommands: ["STARTTLS"],
    authOptional: true,
    logger: false,
    onAuth: (auth, _session, callback) =>
      auth.password === "wrong"
        ? callback(new Error("Invalid username or password"))
        : callback(null, { user: auth.username }),
    onRcptTo: (address, _session, callback) => {
      if (refuse.has(address.address)) {
        const error = new Error(`5.1.1 <${address.address}>: Recipient address rejected: User unknown`) as Error & {
          responseCode: number;
        };
        error.responseCode = 550;
        callback(error);
      } else callback();
    },
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString(),
        });
        for (const w of [...waiters]) {
          if (mails.length >= w.n) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve(mails);
          }
        }
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const bound = (server.server.address() as AddressInfo).port;
  return {
    port: bound,
    url: `smtp://bot:s3cret-pass@127.0.0.1:${bound}`,
    mails,
    refuse,
    next: (n) =>
      new Promise((resolve) => {
        if (mails.length >= n) resolve(mails);
        else waiters.push({ n, resolve });
      }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Polls the API until `ready` holds (a background send finished), at most `tries` times. */
export async function until<T>(read: () => Promise<T>, ready: (value: T) => boolean, tries = 200): Promise<T> {
  let value = await read();
  for (let i = 0; i < tries && !ready(value); i++) {
    await new Promise((r) => setTimeout(r, 50));
    value = await read();
  }
  return value;
}
