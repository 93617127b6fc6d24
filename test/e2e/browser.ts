import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

/** Debian's Chromium; the tests never download a browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Whether the browser tests can run; with REQUIRE_BROWSER=1 a missing Chromium is an error, not a skip. */
export function browserAvailable(): boolean {
  const present = existsSync(CHROMIUM);
  if (!present && process.env.REQUIRE_BROWSER === "1") {
    throw new Error(`REQUIRE_BROWSER=1 but there is no Chromium at ${CHROMIUM}: the browser tests would skip.`);
  }
  return present;
}

export const launchChromium = (): Promise<Browser> =>
  chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });

const root = new URL("../../", import.meta.url).pathname;
const web = join(root, "web");

function newest(dir: string): number {
  let time = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "dist" || entry.name === "node_modules") continue;
    const path = join(dir, entry.name);
    time = Math.max(time, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return time;
}

/**
 * Builds web/dist when it is missing or older than the web sources, the way `npm start`
 * does. The server serves web/dist only if it exists when the app is built, so call this first.
 */
export function buildWebIfStale() {
  const built = join(web, "dist", "index.html");
  if (existsSync(built) && statSync(built).mtimeMs >= newest(web)) return;
  const result = spawnSync(
    process.execPath,
    [join(root, "node_modules/vite/bin/vite.js"), "build", web, "--logLevel", "warn"],
    { cwd: root, encoding: "utf8" },
  );
  if (result.status !== 0) throw new Error(`vite build failed:\n${result.stdout}\n${result.stderr}`);
}

/**
 * A page in a new context of `browser`, signed in with `cookie` when given, that records
 * script errors and CSP violations in `pageErrors` (failed requests are part of the flows).
 */
export async function openPage(
  browser: Browser,
  options: { locale: string; viewport: { width: number; height: number }; cookie?: string; origin?: string },
  pageErrors: string[],
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: options.viewport,
    locale: options.locale,
    timezoneId: "Europe/Amsterdam",
  });
  if (options.cookie && options.origin) {
    const [name, value] = options.cookie.split("=") as [string, string];
    await context.addCookies([{ name, value, url: options.origin }]);
  }
  const page = await context.newPage();
  // Generous: the machine running the suite may be busy with other tests.
  page.setDefaultTimeout(20_000);
  page.on("pageerror", (error) => pageErrors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) {
      pageErrors.push(message.text());
    }
  });
  return { context, page };
}
