import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Locator, type Page } from "playwright-core";

/**
 * Real headless Chromium from the Debian package (no browser download), driven by playwright-core.
 * `.ci/run` installs it when missing; locally: `apt-get install -y chromium`.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM))
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH).`,
    );
  // playwright gives every launch a fresh, empty profile (user data dir) of its own
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** screenshots are test artifacts (gitignored): artifacts/screenshots/<name>.png */
export const SCREENSHOTS = path.resolve(__dirname, "../../artifacts/screenshots");

export async function screenshot(page: Page | Locator, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  if ("goto" in page) await page.screenshot({ path: file, fullPage: true });
  else await page.screenshot({ path: file });
}
