// The README's screenshots: the operator screen mid-flow, the verified state, the protocol inspector.
// Run with `npm run screenshots -w @ciba/console`; written to docs/screenshots/ at the repository root.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, type Page, test } from "@playwright/test";
import { callerDecides, callerDevice, startVerification } from "./support";

const out = fileURLToPath(new URL("../../../docs/screenshots/", import.meta.url));

async function shoot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(out, name), fullPage: true });
}

test("operator console screenshots", async ({ page }) => {
  const device = await callerDevice(page, "alice@example.com");
  await page.goto("/");
  await expect(page.getByRole("status").filter({ hasText: "Provider connected" })).toBeVisible();
  await startVerification(page, {
    identifier: "alice@example.com",
    mode: "Poll",
    payment: { amount: "1250.00", creditor: "Northwind Property Ltd", reference: "Deposit 14 Elm Row" },
  });
  await expect(page.getByRole("heading", { name: "Read this to the caller" })).toBeVisible();
  await expect(page.getByText(/Caller's device notified/)).toBeVisible();
  await expect(page.getByText(/Polling the token endpoint/)).toBeVisible();
  await shoot(page, "operator-mid-flow.png");

  await callerDecides(page, device, "approve");
  await expect(page.getByRole("heading", { name: "Verified: Alice Martin" })).toBeVisible();
  await shoot(page, "operator-verified.png");

  await page.getByRole("link", { name: "Open protocol inspector" }).click();
  await expect(page.getByRole("heading", { name: /Protocol inspector/ })).toBeVisible();
  await page.getByRole("button", { name: /^Step \d+: ID token validation/ }).click();
  await expect(page.getByRole("region", { name: /ID token validation/ })).toBeVisible();
  await shoot(page, "inspector.png");
  device.close();
});
