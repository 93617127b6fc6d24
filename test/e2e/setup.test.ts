import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, it } from "vitest";
import { startServer, type TestServer } from "../server.ts";
import { browserAvailable, buildWebIfStale, launchChromium } from "./browser.ts";

/**
 * First run in Chromium: a new server leads every visitor to setup; once setup is closed
 * the setup page is never shown again, and with ALLOW_SIGNUP on both pages link to each other.
 */
const ADMIN = {
  workspace: "Acme Support",
  name: "Ann Admin",
  email: "ann@example.com",
  password: "correct horse battery",
};

describe.skipIf(!browserAvailable())("first run in Chromium", () => {
  let browser: Browser;
  beforeAll(async () => {
    buildWebIfStale();
    browser = await launchChromium();
  });
  afterAll(() => browser?.close());

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "en-GB" });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    return page;
  }
  const at = (page: Page, pathname: string) => page.waitForURL((url) => url.pathname === pathname);

  async function setUp(page: Page) {
    await page.getByRole("textbox", { name: "Workspace name" }).fill(ADMIN.workspace);
    await page.getByRole("textbox", { name: "Your name" }).fill(ADMIN.name);
    await page.getByRole("textbox", { name: "Email" }).fill(ADMIN.email);
    await page.getByRole("textbox", { name: "Password" }).fill(ADMIN.password);
    await page.getByRole("button", { name: "Create workspace" }).click();
    await at(page, "/studio/contacts");
  }

  describe("with ALLOW_SIGNUP off", () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startServer("pglite", { ALLOW_SIGNUP: "0" });
    });
    afterAll(() => server?.close());

    it("leads a fresh server's / and /login to setup, which offers no sign-in", async () => {
      const page = await newPage();
      await page.goto(server.origin);
      await at(page, "/setup");
      await page.getByRole("heading", { name: "Set up Contacts" }).waitFor();
      await page.goto(`${server.origin}/login`);
      await at(page, "/setup");
      // Nobody can sign in on a new server, so setup does not offer it.
      await page.getByRole("button", { name: "Create workspace" }).waitFor();
      if (await page.getByRole("link", { name: "Sign in" }).count()) throw new Error("setup links to sign-in");
      await setUp(page);
      await page.context().close();
    });

    it("after setup, leads /setup to sign-in, or to the app when signed in", async () => {
      const page = await newPage();
      await page.goto(`${server.origin}/setup`);
      await at(page, "/login");
      await page.getByRole("heading", { name: "Sign in to Contacts" }).waitFor();
      if (await page.getByRole("link", { name: "Set up a workspace" }).count())
        throw new Error("sign-in links to setup");
      await page.getByRole("textbox", { name: "Email" }).fill(ADMIN.email);
      await page.getByRole("textbox", { name: "Password" }).fill(ADMIN.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await at(page, "/studio/contacts");
      await page.goto(`${server.origin}/setup`);
      await at(page, "/studio/contacts");
      await page.getByRole("banner").getByText(ADMIN.workspace).waitFor();
      await page.context().close();
    });

    it("gives admins the Studio's Settings with its tabs, the open one in the address", async () => {
      const page = await newPage();
      await page.goto(`${server.origin}/login`);
      await page.getByRole("textbox", { name: "Email" }).fill(ADMIN.email);
      await page.getByRole("textbox", { name: "Password" }).fill(ADMIN.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await at(page, "/studio/contacts");
      await page.getByRole("link", { name: "Settings" }).click();
      await at(page, "/studio/settings");
      await page.getByRole("heading", { name: "Settings" }).waitFor();
      for (const name of ["Channels", "Fields", "Webhooks", "Audit log"])
        await page.getByRole("tab", { name }).waitFor();
      await page.getByRole("tab", { name: "Channels", selected: true }).waitFor();
      await page.getByRole("tab", { name: "Webhooks" }).click();
      await page.waitForURL((url) => url.pathname === "/studio/settings" && url.searchParams.get("tab") === "webhooks");
      await page.reload();
      await page.getByRole("tab", { name: "Webhooks", selected: true }).waitFor();
      await page.goBack();
      await page.getByRole("tab", { name: "Channels", selected: true }).waitFor();
      // The session ends under the open page: its next request answers 401, and the app signs in again.
      await page.context().clearCookies();
      await page.getByRole("link", { name: "Studio" }).click();
      await at(page, "/login");
      await page.getByRole("heading", { name: "Sign in to Contacts" }).waitFor();
      await page.context().close();
    });
  });

  describe("with ALLOW_SIGNUP on", () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startServer("pglite", { ALLOW_SIGNUP: "1" });
    });
    afterAll(() => server?.close());

    it("starts at setup, then links sign-in and setup to each other", async () => {
      const page = await newPage();
      await page.goto(server.origin);
      await at(page, "/setup");
      await setUp(page);
      await page.getByRole("button", { name: "Sign out" }).click();
      await at(page, "/login");
      await page.getByRole("link", { name: "Set up a workspace" }).click();
      await at(page, "/setup");
      await page.getByRole("link", { name: "Sign in" }).click();
      await at(page, "/login");
      await page.getByRole("heading", { name: "Sign in to Contacts" }).waitFor();
      await page.context().close();
    });
  });
});
