// The README's console screenshots (`npm run screenshots`): the real provider and the console (production
// build) are started by Playwright and stopped after. The caller's side goes through the provider's
// Device API. The browser tests of the whole product are in packages/e2e.
import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";

const providerPort = Number(process.env.E2E_PROVIDER_PORT ?? 4410);
const consolePort = Number(process.env.E2E_CONSOLE_PORT ?? 4411);
const providerUrl = `http://localhost:${providerPort}`;
const consoleUrl = `http://localhost:${consolePort}`;
const databaseFile = `/tmp/ciba-console-e2e-${providerPort}.sqlite`;

// Debian's chromium where it exists (no browser download needed); Playwright's own otherwise.
const executablePath = [process.env.CHROMIUM_PATH, "/usr/lib/chromium/chromium", "/usr/bin/chromium"].find((p) => p && existsSync(p));

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  use: {
    baseURL: consoleUrl,
    ...devices["Desktop Chrome"],
    viewport: { width: 1440, height: 900 },
    launchOptions: { executablePath, args: ["--disable-gpu"] },
    trace: "retain-on-failure",
  },
  metadata: { providerUrl },
  webServer: [
    {
      command: `rm -f ${databaseFile}* && ../../node_modules/.bin/tsx ../provider/src/server.ts`,
      url: `${providerUrl}/healthz`,
      env: {
        PORT: String(providerPort),
        DATABASE_URL: `file:${databaseFile}`,
        CONSOLE_URL: consoleUrl,
        LOG_LEVEL: "warn",
        CIBA_POLL_INTERVAL: "2",
      },
      timeout: 60_000,
      reuseExistingServer: process.env.E2E_REUSE_SERVERS === "1",
    },
    {
      command: "../../node_modules/.bin/next build && ../../node_modules/.bin/tsx server.ts",
      url: `${consoleUrl}/api/status`,
      env: {
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        CONSOLE_PORT: String(consolePort),
        PROVIDER_URL: providerUrl,
        CONSOLE_DATA_DIR: `/tmp/ciba-console-e2e-data-${consolePort}`,
        LOG_LEVEL: "warn",
      },
      timeout: 240_000,
      reuseExistingServer: process.env.E2E_REUSE_SERVERS === "1",
    },
  ],
});
