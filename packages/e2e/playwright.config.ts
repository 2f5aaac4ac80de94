// One config starts the whole product — provider, operator console and device simulator, production
// builds — on its own ports against a fresh database, and stops them after the run.
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";

const repoRoot = path.resolve(import.meta.dirname, "../..");

const ports = {
  provider: Number(process.env.E2E_PROVIDER_PORT ?? 3200),
  console: Number(process.env.E2E_CONSOLE_PORT ?? 3201),
  device: Number(process.env.E2E_DEVICE_PORT ?? 3202),
};
export const urls = {
  provider: `http://localhost:${ports.provider}`,
  console: `http://localhost:${ports.console}`,
  device: `http://localhost:${ports.device}`,
};

// A fresh data folder per run; Playwright re-reads this file in its workers, which inherit it from here.
process.env.CIBA_E2E_DATA_DIR ??= mkdtempSync(path.join(tmpdir(), "ciba-e2e-"));
const dataDir = process.env.CIBA_E2E_DATA_DIR;

/** Chromium: PLAYWRIGHT_CHROMIUM_EXECUTABLE, else Debian's, else Playwright's own (npx playwright install chromium). */
const executablePath =
  process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE ?? ["/usr/lib/chromium/chromium", "/usr/bin/chromium"].find((p) => existsSync(p));

const common = { NODE_ENV: "production", LOG_LEVEL: "warn", PROVIDER_URL: urls.provider, CONSOLE_URL: urls.console, DEVICE_URL: urls.device };

export default defineConfig({
  testDir: "tests",
  outputDir: "test-results",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? [["list"], ["html", { open: "never" }]] : [["list"]],
  use: {
    screenshot: "on",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath,
      args: ["--disable-gpu", "--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"] } }],
  webServer: [
    {
      name: "provider",
      command: "npm run start --workspace @ciba/provider",
      cwd: repoRoot,
      url: `${urls.provider}/healthz`,
      env: {
        ...common,
        // The production profile refuses http notification endpoints; the e2e run is the demo profile.
        NODE_ENV: "test",
        PORT: String(ports.provider),
        DATABASE_URL: `file:${path.join(dataDir, "provider.sqlite")}`,
      },
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: "ignore",
      stderr: "pipe",
    },
    {
      name: "console",
      command: "npm run start --workspace @ciba/console",
      cwd: repoRoot,
      url: urls.console,
      env: { ...common, CONSOLE_PORT: String(ports.console), CONSOLE_DATA_DIR: dataDir },
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: "ignore",
      stderr: "pipe",
    },
    {
      name: "device",
      command: "npm run start --workspace @ciba/device",
      cwd: repoRoot,
      url: urls.device,
      env: { ...common, DEVICE_PORT: String(ports.device) },
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: "ignore",
      stderr: "pipe",
    },
  ],
});
