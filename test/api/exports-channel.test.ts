import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorkspace, databases, startServer, type TestServer, type Workspace } from "../server.ts";

/** The export takes the list's Channel filter, so the web app's export matches the filtered list. */
describe.each(databases())("export by channel (%s)", (kind) => {
  let server: TestServer;
  let workspace: Workspace;

  beforeAll(async () => {
    server = await startServer(kind);
    workspace = await createWorkspace(server);
    for (const email of ["wa@example.nl", "mail@example.nl"]) {
      expect((await workspace.admin.post("/contacts", { email })).status).toBe(201);
    }
    const identified = await workspace.admin.post("/contacts/identify", {
      channel: "whatsapp",
      address: "+31612345678",
      profile: { email: "wa@example.nl" },
    });
    expect(identified.status, identified.text).toBe(200);
  });

  afterAll(() => server?.close());

  const exported = async (query: string) => {
    const answer = await workspace.admin.get(`/contacts/export?format=csv-comma${query}`);
    expect(answer.status, answer.text).toBe(200);
    const rows = parse(answer.text.replace(/^\uFEFF/, ""), { columns: true }) as Record<string, string>[];
    return rows.map((row) => row.Email).sort();
  };

  it("exports only the contacts seen on the channel, as the list shows them", async () => {
    expect(await exported("&channel=whatsapp")).toEqual(["wa@example.nl"]);
    expect(await exported("&channel=sms")).toEqual([]);
    expect(await exported("")).toEqual(["mail@example.nl", "wa@example.nl"]);
    const list = await workspace.admin.get("/contacts?channel=whatsapp");
    expect(list.body.items.map((c: { email: string }) => c.email)).toEqual(["wa@example.nl"]);
  });

  it("refuses an unknown channel as a malformed query", async () => {
    const answer = await workspace.admin.get("/contacts/export?format=csv-comma&channel=pigeon");
    expect(answer.status).toBe(400);
  });
});
