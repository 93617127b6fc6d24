import { mkdirSync, readFileSync } from "node:fs";
import { AxeBuilder } from "@axe-core/playwright";
import ExcelJS from "exceljs";
import type { Browser, Download, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LIMITS } from "../../src/contacts/limits.ts";
import { startServer, type TestServer } from "../server.ts";
import { browserAvailable, buildWebIfStale, launchChromium, openPage } from "./browser.ts";

/**
 * The web app in a real Chromium against the real server on a fresh database, the way a
 * newcomer meets it: first-run setup, sign-in, the Inbox and Studio contact pages.
 * The steps share one page and run in order; each leaves the state the next one needs.
 */
const SCREENSHOTS = new URL("../../docs/screenshots/", import.meta.url).pathname;
const ADMIN = {
  workspace: "Acme Support",
  name: "Ann Admin",
  email: "ann@example.com",
  password: "correct horse battery",
};

describe.skipIf(!browserAvailable())("web app in Chromium", () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  /** Script errors and CSP violations; failed requests (401, 409, 412…) are part of the flows. */
  const pageErrors: string[] = [];

  beforeAll(async () => {
    buildWebIfStale();
    server = await startServer("pglite");
    browser = await launchChromium();
    ({ page } = await openPage(browser, { locale: "en-GB", viewport: { width: 1280, height: 800 } }, pageErrors));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const row = (text: string) => page.getByRole("row").filter({ hasText: text });
  const panel = () => page.getByRole("complementary", { name: "Contact" });
  const dialog = () => page.getByRole("dialog");
  const waitForUrl = (predicate: (url: URL) => boolean) => page.waitForURL((url) => predicate(url));

  /** Violations a screen-reader or keyboard user would be blocked by. */
  async function seriousViolations() {
    // React Aria's live region announces a chosen option for a few seconds through an
    // aria-labelledby that points at the option, gone once the list closed: not page content.
    const result = await new AxeBuilder({ page }).exclude("[data-live-announcer]").analyze();
    return result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.html).join(", ")})`);
  }

  async function fillContact(fields: Record<string, string>) {
    for (const [label, value] of Object.entries(fields)) {
      await dialog().getByRole("textbox", { name: label, exact: true }).fill(value);
    }
  }

  async function exportAs(item: string): Promise<Download> {
    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: "Export" }).click();
    await page.getByRole("menuitem", { name: item }).click();
    return download;
  }

  const fileText = async (download: Download) => readFileSync((await download.path()) as string, "utf8");

  it("sends the first visitor of a new server to setup", async () => {
    await page.goto(server.origin);
    await waitForUrl((url) => url.pathname === "/setup");
    await page.getByRole("textbox", { name: "Workspace name" }).fill(ADMIN.workspace);
    await page.getByRole("textbox", { name: "Your name" }).fill(ADMIN.name);
    await page.getByRole("textbox", { name: "Email" }).fill(ADMIN.email);
    await page.getByRole("textbox", { name: "Password" }).fill(ADMIN.password);
    await page.getByRole("combobox", { name: "Country of your phone numbers" }).selectOption("NL");
    await page.getByRole("button", { name: "Create workspace" }).click();
    await waitForUrl((url) => url.pathname === "/studio/contacts");
    const header = page.getByRole("banner");
    await header.getByText(ADMIN.name).waitFor();
    await header.getByText(ADMIN.workspace).waitFor();
    await page.getByText("No contacts yet").waitFor();
  });

  it("signs out and back in", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await waitForUrl((url) => url.pathname === "/login");
    await page.getByRole("textbox", { name: "Email" }).fill(ADMIN.email);
    await page.getByRole("textbox", { name: "Password" }).fill("not the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").getByText("not right").waitFor();
    await page.getByRole("textbox", { name: "Password" }).fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await waitForUrl((url) => url.pathname === "/studio/contacts");
  });

  it("creates a contact in the Inbox dialog and opens it", async () => {
    await page.getByRole("link", { name: "Inbox" }).click();
    await waitForUrl((url) => url.pathname === "/inbox/contacts");
    await page.getByRole("button", { name: "Create user" }).click();
    await dialog().getByRole("heading", { name: "Create user" }).waitFor();
    // The dialog takes the focus, on its first field.
    expect(await page.evaluate(() => document.activeElement?.getAttribute("type") ?? "")).toBe("text");
    // Each field stops where the server would refuse (src/contacts/limits.ts).
    for (const [name, limit] of [
      ["First name", LIMITS.name],
      ["Last name", LIMITS.name],
      ["Email", LIMITS.email],
      ["Phone", LIMITS.phone],
      ["External ID", LIMITS.externalId],
    ] as const) {
      expect(await dialog().getByRole("textbox", { name, exact: true }).getAttribute("maxlength"), name).toBe(
        String(limit),
      );
    }
    await fillContact({ "First name": "Zoë", "Last name": "de Vries", Email: "zoe@example.nl", Phone: "0612345678" });
    // As-you-type formatting in the workspace's country (NL).
    expect(await dialog().getByRole("textbox", { name: "Phone", exact: true }).inputValue()).toBe("06 12345678");
    await dialog().getByRole("combobox", { name: "Language" }).fill("Dutch");
    await page.getByRole("option", { name: /^Dutch Nederlands · nl$/ }).click();
    await dialog().getByRole("combobox", { name: "Timezone" }).fill("amsterdam");
    await page.getByRole("option", { name: /Europe\/Amsterdam|Amsterdam/ }).click();
    await page.screenshot({ path: `${SCREENSHOTS}dialog-light.png` });
    expect(await seriousViolations()).toEqual([]);
    await dialog().getByRole("button", { name: "Save" }).click();
    await dialog().waitFor({ state: "detached" });
    await panel().getByRole("heading", { name: "Zoë de Vries" }).waitFor();
    await panel().getByText("06 12345678").waitFor();
    await panel().getByText("Europe/Amsterdam").waitFor();
    await row("Zoë de Vries").waitFor();
  });

  it("creates a contact in the Studio dialog, with a foreign phone number", async () => {
    await page.getByRole("link", { name: "Studio" }).click();
    await waitForUrl((url) => url.pathname === "/studio/contacts");
    await page.getByRole("button", { name: "Add contact" }).click();
    await fillContact({ "First name": "Jan", "Last name": "Jansen", Email: "jan@example.com" });
    await dialog().getByRole("textbox", { name: "Phone", exact: true }).pressSequentially("+442079460958");
    // A number with + picks its own country.
    expect(await dialog().getByRole("combobox", { name: "Phone country" }).inputValue()).toBe("United Kingdom");
    await dialog().getByRole("textbox", { name: "External ID" }).fill("crm-00042");
    await dialog().getByRole("button", { name: "Save" }).click();
    await panel().getByRole("heading", { name: "Jan Jansen" }).waitFor();
    await panel().getByText("+44 20 7946 0958").waitFor();
    await row("Jan Jansen").waitFor();
    await row("Zoë de Vries").waitFor();
    await page.getByText("2 contacts").waitFor();
  });

  it("finds a contact by an accent-free fragment, and keeps the search in the address", async () => {
    await page.getByRole("button", { name: "Close contact" }).click();
    await page.getByRole("searchbox", { name: "Search contacts" }).fill("zoe");
    await waitForUrl((url) => url.searchParams.get("q") === "zoe");
    await row("Jan Jansen").waitFor({ state: "detached" });
    await row("Zoë de Vries").waitFor();
    await page.getByText("1 match").waitFor();
    await page.reload();
    expect(await page.getByRole("searchbox", { name: "Search contacts" }).inputValue()).toBe("zoe");
    await row("Zoë de Vries").waitFor();
    expect(await row("Jan Jansen").count()).toBe(0);
  });

  it("renames a contact in place: Escape cancels, Enter saves", async () => {
    await row("Zoë de Vries").getByRole("button", { name: "Zoë de Vries" }).click();
    await panel().getByRole("button", { name: "Rename" }).click();
    await panel().getByRole("textbox", { name: "Last name" }).fill("Something Else");
    await page.keyboard.press("Escape");
    await panel().getByRole("heading", { name: "Zoë de Vries" }).waitFor();
    await panel().getByRole("button", { name: "Zoë de Vries" }).click(); // clicking the name edits it too
    await panel().getByRole("textbox", { name: "Last name" }).fill("de Vries-Bakker");
    await page.keyboard.press("Enter");
    await panel().getByRole("heading", { name: "Zoë de Vries-Bakker" }).waitFor();
    await row("Zoë de Vries-Bakker").waitFor();

    await panel().getByRole("button", { name: "Edit details" }).click();
    await panel().getByRole("textbox", { name: "External ID" }).fill("crm-00007");
    await panel().getByRole("textbox", { name: "Phone", exact: true }).fill("06 87654321");
    await panel().getByRole("button", { name: "Save details" }).click();
    await panel().getByText("crm-00007").waitFor();
    await panel().getByText("06 87654321").waitFor();
  });

  it("adds the tags Sales and Billing, removes one, and filters by tag", async () => {
    const tags = panel().getByRole("group", { name: "Tags" });
    expect(await tags.getByRole("combobox", { name: "Add tag" }).getAttribute("maxlength")).toBe(String(LIMITS.tag));
    await tags.getByRole("combobox", { name: "Add tag" }).fill("Sales");
    await page.keyboard.press("Enter");
    await tags.getByRole("button", { name: "Remove Sales" }).waitFor();
    await tags.getByRole("button", { name: "Add tag Billing" }).click();
    await tags.getByRole("button", { name: "Remove Billing" }).waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}panel-light.png` });
    expect(await seriousViolations()).toEqual([]);
    await tags.getByRole("button", { name: "Remove Sales" }).click();
    await tags.getByRole("button", { name: "Remove Sales" }).waitFor({ state: "detached" });
    await tags.getByRole("button", { name: "Remove Billing" }).waitFor();

    await page.getByRole("button", { name: "Close contact" }).click();
    await page.getByRole("searchbox", { name: "Search contacts" }).fill("");
    await waitForUrl((url) => !url.searchParams.has("q"));
    await row("Jan Jansen").waitFor();
    await page.getByRole("combobox", { name: "Filter by tag" }).selectOption("Billing");
    await waitForUrl((url) => url.searchParams.get("tag") === "Billing");
    await row("Jan Jansen").waitFor({ state: "detached" });
    await row("Zoë de Vries-Bakker").getByText("Billing").waitFor();
    await page.getByText("1 match").waitFor();
    await page.getByRole("combobox", { name: "Filter by tag" }).selectOption("");
    await row("Jan Jansen").waitFor();
  });

  it("exports the list in each format, and the selection when rows are ticked", async () => {
    const semicolon = await fileText(await exportAs("CSV (;)"));
    expect(semicolon.charCodeAt(0)).toBe(0xfeff);
    expect(semicolon).toContain("ID;First name;Last name;Email;Phone");
    expect(semicolon).toContain("Zoë;de Vries-Bakker;zoe@example.nl;+31687654321");
    expect(semicolon).toContain("Jan;Jansen;jan@example.com;+442079460958");

    const commaFile = await exportAs("CSV (,)");
    expect(commaFile.suggestedFilename()).toMatch(/^contacts-.+-\d{4}-\d{2}-\d{2}\.csv$/);
    const comma = await fileText(commaFile);
    expect(comma).toContain("Zoë,de Vries-Bakker,zoe@example.nl");
    expect(comma).toContain("Jan,Jansen,jan@example.com");

    const xlsxFile = await exportAs("Excel (.xlsx)");
    expect(xlsxFile.suggestedFilename()).toMatch(/\.xlsx$/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile((await xlsxFile.path()) as string);
    const values = book.worksheets[0]!.getSheetValues().flat().map(String);
    expect(values).toEqual(expect.arrayContaining(["Zoë", "de Vries-Bakker", "Jan", "Jansen", "+442079460958"]));

    await row("Jan Jansen").getByRole("checkbox", { name: "Select Jan Jansen" }).check();
    await page.getByText("1 selected").waitFor();
    const selected = await fileText(await exportAs("CSV (,)"));
    expect(selected).toContain("Jansen");
    expect(selected).not.toContain("Vries");
    await page.getByRole("button", { name: "Clear selection" }).click();

    // A large export on a slow line: the page shows it is under way and can cancel it.
    await page.route("**/api/v1/contacts/export**", () => {
      // Never answered, like a file that takes minutes.
    });
    await page.getByRole("button", { name: "Export" }).click();
    await page.getByRole("menuitem", { name: "CSV (;)" }).click();
    await page
      .getByRole("status")
      .getByText(/Exporting the filtered list…/)
      .waitFor();
    await page.getByRole("button", { name: "Cancel export" }).click();
    await page.getByText("Export cancelled.").waitFor();
    await page.unroute("**/api/v1/contacts/export**");
  });

  it("shows a duplicate email beside Email, keeping what was typed", async () => {
    await page.getByRole("button", { name: "Add contact" }).click();
    await fillContact({ "First name": "Zoe", "Last name": "Again", Email: "ZOE@example.nl" });
    await dialog().getByRole("button", { name: "Save" }).click();
    const email = dialog().getByRole("textbox", { name: "Email", exact: true });
    await expect.poll(() => email.getAttribute("aria-invalid")).toBe("true");
    const description = await email.evaluate((input) =>
      (input.getAttribute("aria-describedby") ?? "")
        .split(" ")
        .map((id) => document.getElementById(id)?.textContent ?? "")
        .join(" "),
    );
    expect(description).toContain("Another contact already has this email");
    expect(await dialog().getByRole("textbox", { name: "First name" }).inputValue()).toBe("Zoe");
    await dialog().getByRole("link", { name: "Open the existing contact" }).click();
    await panel().getByRole("heading", { name: "Zoë de Vries-Bakker" }).waitFor();
  });

  it("tells the user when someone else changed the contact meanwhile (412), and keeps their change to reapply", async () => {
    await row("Jan Jansen").getByRole("button", { name: "Jan Jansen" }).click();
    await panel().getByRole("heading", { name: "Jan Jansen" }).waitFor();
    await panel().getByRole("button", { name: "Rename" }).click();
    await panel().getByRole("textbox", { name: "First name" }).fill("Johannes");
    const id = new URL(page.url()).searchParams.get("contact");
    const status = await page.evaluate(async (contactId) => {
      const response = await fetch(`/api/v1/contacts/${contactId}`, {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ lastName: "Janssen" }),
      });
      return response.status;
    }, id);
    expect(status).toBe(200);
    await panel().getByRole("textbox", { name: "First name" }).press("Enter");
    const alert = panel().getByRole("alert").filter({ hasText: "Someone else changed this contact" });
    await alert.waitFor();
    await alert.getByText("Janssen").waitFor();
    await alert.getByText("Johannes").waitFor();
    expect(await panel().getByRole("textbox", { name: "First name" }).inputValue()).toBe("Johannes");
    await alert.getByRole("button", { name: "Save mine over theirs" }).click();
    await panel().getByRole("heading", { name: "Johannes Janssen" }).waitFor();
  });

  it("imports a file in the Studio: mapping with preview and row errors, progress, result and error file", async () => {
    await page.getByRole("button", { name: "Close contact" }).click();
    await page.getByRole("button", { name: "Import" }).click();
    const csv = [
      "First name;Last name;Email;Phone;Tags",
      "Pieter;Post;pieter@example.nl;0612340000;VIP",
      "Bad;Row;not-an-email;;",
      "Zoë;Again;zoe@example.nl;;",
    ].join("\r\n");
    await dialog()
      .locator("input[type=file]")
      .setInputFiles({
        name: "people.csv",
        mimeType: "text/csv",
        buffer: Buffer.from(csv),
      });
    await dialog().getByRole("button", { name: "Start import" }).waitFor({ timeout: 30_000 });
    expect(await dialog().getByRole("combobox", { name: "Import column Email as" }).inputValue()).toBe("email");
    await dialog()
      .getByText(/Row 3: email/)
      .waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}import-light.png` });
    expect(await seriousViolations()).toEqual([]);
    await dialog().getByText("Skip the row").click();
    expect(await dialog().getByRole("radio", { name: "Skip the row" }).isChecked()).toBe(true);
    await dialog()
      .getByRole("textbox", { name: /Tags for every imported contact/ })
      .fill("Imported");
    await dialog().getByRole("button", { name: "Start import" }).click();
    await dialog().getByText("Import of people.csv finished.").waitFor({ timeout: 30_000 });
    const result = await dialog().locator(".import-result > div").allTextContents();
    expect(result).toEqual(["Created1", "Updated0", "Skipped1", "Failed1"]);
    const download = page.waitForEvent("download");
    await dialog().getByRole("button", { name: "Download the rejected rows" }).click();
    const errors = await fileText(await download);
    expect(errors).toContain("not-an-email");
    expect(errors).toContain("Error");
    await dialog().getByRole("button", { name: "Close" }).click();
    await row("Pieter Post").getByText("Imported").waitFor();
  });

  it("looks right in light and dark, from a phone to a wide screen", async () => {
    // A fuller list for the pictures.
    await page.evaluate(async () => {
      const people = [
        ["Amira", "El Idrissi", "+212612345678", "fr", "Africa/Casablanca", ["Support"]],
        ["Lucas", "Martin", "+33612345678", "fr-FR", "Europe/Paris", ["Sales"]],
        ["Sofia", "Rossi", "+393471234567", "it", "Europe/Rome", []],
        ["Daan", "Bakker", "0201234567", "nl", "Europe/Amsterdam", ["Billing", "Support"]],
        ["Mei", "Tanaka", "+81312345678", "ja", "Asia/Tokyo", []],
        ["Olivia", "Smith", "+12025550143", "en-US", "America/New_York", ["Sales"]],
      ] as const;
      for (const [firstName, lastName, phone, language, timezone, tags] of people) {
        const email = `${firstName.toLowerCase()}@example.com`;
        await fetch("/api/v1/contacts", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ firstName, lastName, email, phone, language, timezone, tags }),
        });
      }
    });
    await page.goto(`${server.origin}/studio/contacts`);
    await row("Olivia Smith").waitFor();
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: `${SCREENSHOTS}list-light.png` });
    expect(await seriousViolations()).toEqual([]);

    await page.emulateMedia({ colorScheme: "dark" });
    await page.screenshot({ path: `${SCREENSHOTS}list-dark.png` });
    expect(await seriousViolations()).toEqual([]);
    await row("Daan Bakker").getByRole("button", { name: "Daan Bakker" }).click();
    await panel().getByRole("heading", { name: "Daan Bakker" }).waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}panel-dark.png` });
    expect(await seriousViolations()).toEqual([]);
    await page.getByRole("button", { name: "Add contact" }).click();
    await dialog().getByRole("heading", { name: "Add contact" }).waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}dialog-dark.png` });
    expect(await seriousViolations()).toEqual([]);
    await dialog().getByRole("button", { name: "Cancel" }).click();

    await page.emulateMedia({ colorScheme: "light" });
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(`${server.origin}/studio/contacts`);
    await row("Olivia Smith").waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${SCREENSHOTS}list-phone.png` });
    expect(await seriousViolations()).toEqual([]);
    const sideways = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    await row("Daan Bakker").getByRole("button", { name: "Daan Bakker" }).click();
    await panel().getByRole("heading", { name: "Daan Bakker" }).waitFor();
    expect(await sideways()).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${SCREENSHOTS}panel-phone.png` });
    await page.getByRole("button", { name: "Close contact" }).click();
    await page.getByRole("button", { name: "Add contact" }).click();
    await dialog().getByRole("heading", { name: "Add contact" }).waitFor();
    expect(await sideways()).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${SCREENSHOTS}dialog-phone.png` });
    await dialog().getByRole("button", { name: "Cancel" }).click();
  });

  it("pages through the list while scrolling, with only the rows in view in the page, and sorts", async () => {
    await page.evaluate(async () => {
      for (let batch = 0; batch < 25; batch++) {
        await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            fetch("/api/v1/contacts", {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: JSON.stringify({
                firstName: "Bulk",
                lastName: `Person ${String(batch * 10 + i).padStart(3, "0")}`,
              }),
            }),
          ),
        );
      }
    });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${server.origin}/studio/contacts`);
    await page.getByText("259 contacts").waitFor();
    const table = page.getByRole("table", { name: "Contacts" });
    expect(await table.getAttribute("aria-rowcount")).toBe("260");
    // The oldest contact is last: it takes three keyset pages of 100 to get there.
    const scroller = page.locator(".table-scroll");
    for (let i = 0; i < 10 && (await row("Zoë de Vries-Bakker").count()) === 0; i++) {
      await scroller.evaluate((element) => {
        element.scrollTop = element.scrollHeight;
      });
      await page.waitForTimeout(300);
    }
    await row("Zoë de Vries-Bakker").waitFor();
    expect(await page.locator("tbody tr").count()).toBeLessThan(60);

    await page.getByRole("button", { name: "Name" }).click();
    await waitForUrl((url) => url.searchParams.get("sort") === "name");
    expect(await page.getByRole("columnheader", { name: "Name" }).getAttribute("aria-sort")).toBe("ascending");
    await page.getByRole("button", { name: "Name" }).click();
    await waitForUrl((url) => url.searchParams.get("sort") === "-name");
    expect(await page.getByRole("columnheader", { name: "Name" }).getAttribute("aria-sort")).toBe("descending");
  });

  it("gives an operator the Inbox only", async () => {
    const status = await page.evaluate(async () => {
      const response = await fetch("/api/v1/users", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          name: "Olga Operator",
          email: "olga@example.com",
          password: "operator password 1",
          role: "operator",
        }),
      });
      return response.status;
    });
    expect(status).toBe(201);
    await page.getByRole("button", { name: "Sign out" }).click();
    await waitForUrl((url) => url.pathname === "/login");
    await page.getByRole("textbox", { name: "Email" }).fill("olga@example.com");
    await page.getByRole("textbox", { name: "Password" }).fill("operator password 1");
    await page.getByRole("button", { name: "Sign in" }).click();
    await waitForUrl((url) => url.pathname === "/inbox/contacts");
    await page.getByRole("banner").getByText("Olga Operator").waitFor();
    await page.getByRole("button", { name: "Create user" }).waitFor();
    expect(await page.getByRole("link", { name: "Studio" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Export" }).count()).toBe(0);
    await page.goto(`${server.origin}/studio/contacts`);
    await waitForUrl((url) => url.pathname === "/inbox/contacts");
  });

  it("ran without script errors or Content-Security-Policy violations", () => {
    expect(pageErrors).toEqual([]);
  });
});
