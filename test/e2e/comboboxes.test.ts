import type { Browser, Locator, Page, Request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorkspace, startServer, type TestServer, type Workspace } from "../server.ts";
import { browserAvailable, buildWebIfStale, launchChromium, openPage } from "./browser.ts";

/**
 * The contact form's comboboxes (Language, Timezone, Phone country) in a Chromium set to
 * Dutch: a language is found by its Dutch, English or own name and by its code, and a
 * combobox never shows text that would not be saved. Text that names an option exactly is
 * chosen when the field is left; anything else shows the field's error, and Save sends no
 * request (watched on the network) until it is fixed.
 */
describe.skipIf(!browserAvailable())("comboboxes in a Dutch browser", () => {
  let server: TestServer;
  let workspace: Workspace;
  let browser: Browser;
  let page: Page;
  /** Every write the page sent to the contacts API, in order. */
  const writes: { method: string; url: string; body: Record<string, unknown> }[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    buildWebIfStale();
    server = await startServer("pglite");
    workspace = await createWorkspace(server);
    browser = await launchChromium();
    ({ page } = await openPage(
      browser,
      {
        locale: "nl-NL",
        viewport: { width: 1280, height: 800 },
        cookie: workspace.adminSession.auth.cookie as string,
        origin: server.origin,
      },
      pageErrors,
    ));
    page.on("request", (request: Request) => {
      if (!/\/api\/v1\/contacts(\/|$)/.test(new URL(request.url()).pathname)) return;
      if (request.method() === "GET") return;
      writes.push({ method: request.method(), url: request.url(), body: request.postDataJSON() ?? {} });
    });
    await page.goto(`${server.origin}/studio/contacts`);
    await page.getByText("No contacts yet").waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const dialog = () => page.getByRole("dialog");
  const panel = () => page.getByRole("complementary", { name: "Contact" });
  const combobox = (scope: Locator, name: string) => scope.getByRole("combobox", { name, exact: true });

  async function contactNamed(firstName: string) {
    const found = await workspace.admin.get(`/contacts?q=${encodeURIComponent(firstName)}`);
    expect(found.status).toBe(200);
    const contact = found.body.items.find((c: { firstName: string }) => c.firstName === firstName);
    expect(contact).toBeDefined();
    return contact;
  }

  /** The field's error, found through the input's aria-describedby, as a screen reader reads it. */
  async function describedError(input: Locator): Promise<string> {
    expect(await input.getAttribute("aria-invalid")).toBe("true");
    const ids = ((await input.getAttribute("aria-describedby")) ?? "").split(/\s+/).filter(Boolean);
    const texts = await Promise.all(ids.map((id) => page.locator(`[id="${id}"]`).textContent()));
    return texts.join(" ");
  }

  /**
   * Leaves the field being edited for External ID, a plain text field. (Tab would land in
   * the next combobox, whose open list hides the rest of the form from the accessibility
   * tree, as a modal list should; a click there may hit the open list.)
   */
  const leave = (scope: Locator) => scope.getByLabel("External ID", { exact: true }).focus();

  async function openAddContact(firstName: string) {
    await page.getByRole("button", { name: "Add contact" }).click();
    await dialog().getByRole("heading", { name: "Add contact" }).waitFor();
    await dialog().getByRole("textbox", { name: "First name", exact: true }).fill(firstName);
  }

  it("lists languages by their Dutch names, finds Dutch by its English name, and saves nl", async () => {
    await openAddContact("Daan");
    const language = combobox(dialog(), "Language");
    await language.fill("Dutch");
    // The option reads "Nederlands", with the English name it was found by beside it.
    await page.getByRole("option", { name: /^Nederlands\b.*\bDutch\b.*\bnl$/ }).click();
    expect(await language.inputValue()).toBe("Nederlands");
    await dialog().getByRole("button", { name: "Save" }).click();
    await dialog().waitFor({ state: "detached" });
    await panel().getByRole("heading", { name: "Daan" }).waitFor();
    expect((await contactNamed("Daan")).language).toBe("nl");
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatchObject({ method: "POST", body: { language: "nl" } });
  });

  it("chooses what a text names exactly when the field is left: a name in any language or a code", async () => {
    await page.getByRole("button", { name: "Close contact" }).click();
    await openAddContact("Emma");
    const language = combobox(dialog(), "Language");
    await language.fill("ENGLISH");
    await leave(dialog());
    expect(await language.inputValue()).toBe("Engels");
    await language.fill("deutsch");
    await leave(dialog());
    expect(await language.inputValue()).toBe("Duits");
    await language.fill("fr");
    await leave(dialog());
    expect(await language.inputValue()).toBe("Frans");
    const country = combobox(dialog(), "Phone country");
    expect(await country.inputValue()).toBe("Nederland");
    await country.fill("germany");
    await leave(dialog());
    expect(await country.inputValue()).toBe("Duitsland");
    await dialog().getByRole("textbox", { name: "Phone", exact: true }).fill("030 1234567");
    await dialog().getByRole("button", { name: "Save" }).click();
    await dialog().waitFor({ state: "detached" });
    const emma = await contactNamed("Emma");
    expect(emma).toMatchObject({ language: "fr", phone: "+49301234567", timezone: "Europe/Amsterdam" });
  }, 120_000);

  it("shows the error of a text that names nothing, beside its field, and Save sends nothing", async () => {
    await page.getByRole("button", { name: "Close contact" }).click();
    const before = writes.length;
    await openAddContact("Femke");
    const language = combobox(dialog(), "Language");
    await language.fill("Dutchx");
    await leave(dialog());
    // The text stays as typed, so the user sees what did not match, and the error says so.
    expect(await language.inputValue()).toBe("Dutchx");
    await dialog().getByText("“Dutchx” is not a language in the list").waitFor();
    expect(await describedError(language)).toContain("“Dutchx” is not a language in the list");
    await dialog().getByRole("button", { name: "Save" }).click();
    // The refused Save takes the user to the field, so its error is read out.
    await page.waitForFunction(() => document.activeElement?.getAttribute("aria-invalid") === "true");
    expect(await language.evaluate((input) => input === document.activeElement)).toBe(true);
    // Enter in the field itself (no blur) is refused the same way.
    await language.click();
    await page.keyboard.press("End");
    await page.keyboard.press("Enter");

    // Fixing the text lets Save through: the one request sent is the one after the fix,
    // so neither refused attempt sent anything.
    await language.fill("Nederlands");
    await leave(dialog());
    expect(await language.getAttribute("aria-invalid")).toBeNull();
    await dialog().getByRole("button", { name: "Save" }).click();
    await dialog().waitFor({ state: "detached" });
    expect(writes.slice(before)).toHaveLength(1);
    expect(writes[before]).toMatchObject({ method: "POST", body: { firstName: "Femke", language: "nl" } });
  });

  it("does the same for Timezone and Phone country", async () => {
    await page.getByRole("button", { name: "Close contact" }).click();
    const before = writes.length;
    await openAddContact("Gert");
    const zone = combobox(dialog(), "Timezone");
    expect(await zone.inputValue()).toBe("Europe/Amsterdam");
    await zone.fill("amsterdamx");
    await leave(dialog());
    expect(await describedError(zone)).toContain("“amsterdamx” is not a time zone in the list");
    const country = combobox(dialog(), "Phone country");
    await country.fill("Narnia");
    await leave(dialog());
    expect(await describedError(country)).toContain("“Narnia” is not a country in the list");
    await dialog().getByRole("button", { name: "Save" }).click();
    expect(await zone.inputValue()).toBe("amsterdamx");

    await zone.fill("são paulo");
    await leave(dialog());
    expect(await zone.inputValue()).toBe("America/Sao_Paulo");
    await country.fill("+32");
    await leave(dialog());
    expect(await country.inputValue()).toBe("België");
    await dialog().getByRole("button", { name: "Save" }).click();
    await dialog().waitFor({ state: "detached" });
    expect(writes.slice(before)).toHaveLength(1);
    expect(await contactNamed("Gert")).toMatchObject({ timezone: "America/Sao_Paulo" });
  }, 120_000);

  it("follows the same rule in the panel's edit form, where an emptied field saves no value", async () => {
    const before = writes.length;
    await panel().getByRole("button", { name: "Edit details" }).click();
    const form = panel().getByRole("form", { name: "Edit details" });
    const language = combobox(form, "Language");
    await language.fill("Klingonx");
    await leave(form);
    await form.getByText("“Klingonx” is not a language in the list").waitFor();
    await form.getByRole("button", { name: "Save details" }).click();
    await language.fill("engels");
    await leave(form);
    const zoneField = combobox(form, "Timezone");
    await zoneField.fill("");
    await leave(form);
    await form.getByRole("button", { name: "Save details" }).click();
    await form.waitFor({ state: "detached" });
    expect(writes.slice(before)).toHaveLength(1);
    expect(writes[before]).toMatchObject({ method: "PATCH", body: { language: "en", timezone: null } });
    expect(await contactNamed("Gert")).toMatchObject({ language: "en", timezone: null });
  }, 120_000);

  it("ran without script errors", () => {
    expect(pageErrors).toEqual([]);
  });
});
