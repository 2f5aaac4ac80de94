// Takes the README's screenshots of the simulator: sign-in, the signed-in home screen and a pending
// request, at desktop and phone widths, against the real provider and a production build of the app.
//   npm run build -w @ciba/device && npm run screenshots -w @ciba/device
// Writes docs/screenshots/device-*.png at the repository root. Chromium: CHROMIUM_PATH, else Debian's
// /usr/lib/chromium/chromium, else Playwright's own (`npx playwright install chromium`).
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { chromium, type Page } from "playwright-core";
import { inheritedEnv } from "../test/support/env";
import { startRequest } from "../test/support/flows";
import { freePort, startProviderProcess } from "../test/support/provider-process";

const appDir = path.resolve(import.meta.dirname, "..");
const outDir = path.resolve(appDir, "../../docs/screenshots");
const env = inheritedEnv();

function chromiumPath(): string | undefined {
  return [env.CHROMIUM_PATH, "/usr/lib/chromium/chromium", "/usr/bin/chromium"].find((p) => p && existsSync(p));
}

async function startDevice(providerUrl: string): Promise<{ url: string; process: ChildProcess }> {
  if (!existsSync(path.join(appDir, ".next/BUILD_ID"))) throw new Error("build the app first: npm run build -w @ciba/device");
  const port = await freePort();
  const child = spawn(process.execPath, [createRequire(import.meta.url).resolve("next/dist/bin/next"), "start", "-p", String(port)], {
    cwd: appDir,
    env: { ...env, NODE_ENV: "production", PROVIDER_URL: providerUrl, NEXT_TELEMETRY_DISABLED: "1" },
    stdio: "ignore",
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(url)).ok) return { url, process: child };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill();
  throw new Error("the device app did not start");
}

async function signIn(page: Page, deviceUrl: string, name: string) {
  await page.goto(deviceUrl);
  await page.getByRole("button", { name: new RegExp(name) }).click();
  await page.getByLabel("PIN").fill("1234");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByText("Live").waitFor();
}

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(outDir, `${name}.png`) });

/** Long enough for entrance animations and the arrival banner to finish: the stills show the settled screen. */
const settle = (page: Page, ms = 700) => page.waitForTimeout(ms);

const payment = JSON.stringify([
  {
    type: "payment_initiation",
    instructedAmount: { currency: "GBP", amount: "1250.00" },
    creditorName: "Northwind Traders Ltd",
    creditorAccount: { iban: "GB29NWBK60161331926819" },
    remittanceInformationUnstructured: "Invoice 2024-118",
  },
]);

async function main() {
  mkdirSync(outDir, { recursive: true });
  const provider = await startProviderProcess();
  let device: Awaited<ReturnType<typeof startDevice>> | undefined;
  let browser: Awaited<ReturnType<typeof chromium.launch>> | undefined;
  try {
    device = await startDevice(provider.url);
    browser = await chromium.launch({ executablePath: chromiumPath(), args: ["--no-sandbox", "--disable-gpu"], headless: true });
    const desktop = await browser.newPage({ viewport: { width: 1440, height: 960 }, locale: "en-GB", timezoneId: "Europe/London" });
    await desktop.goto(device.url);
    await desktop.getByRole("button", { name: /Alice Martin/ }).waitFor();
    await settle(desktop);
    await shot(desktop, "device-sign-in-desktop");
    await signIn(desktop, device.url, "Alice Martin");
    await settle(desktop);
    await shot(desktop, "device-home-desktop");
    await startRequest(provider.url, "alice@example.com", { scope: "openid profile email phone", binding_message: "4F7K" });
    await desktop.getByRole("article", { name: /Code 4F7K/ }).waitFor();
    // Keep the arrival banner in this one: it is what the audience sees when the request lands.
    await settle(desktop, 4000);
    await shot(desktop, "device-request-desktop");

    const phone = await browser.newPage({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: "en-GB",
      timezoneId: "Europe/London",
    });
    await signIn(phone, device.url, "Bob Okafor");
    await settle(phone);
    await shot(phone, "device-home-phone");
    await startRequest(provider.url, "bob@example.com", { scope: "openid", binding_message: "7Q2X", authorization_details: payment });
    await phone.getByRole("article", { name: /Code 7Q2X/ }).waitFor();
    await settle(phone, 5500);
    await shot(phone, "device-request-phone");
    await phone.getByRole("button", { name: "Approve" }).click();
    // Let the step scroll itself into view before typing (Playwright's own scrolling would cut it short).
    await settle(phone, 1000);
    await phone.getByLabel("PIN").pressSequentially("12");
    await settle(phone);
    await shot(phone, "device-approve-phone");
    process.stdout.write(`screenshots written to ${outDir}\n`);
  } finally {
    await browser?.close();
    device?.process.kill();
    await provider.close();
  }
}

await main();
