// The acceptance path as an operator lives it, driven by role and accessible name: Alice verified in
// each delivery mode by each kind of identifier, the other final states, errors in plain language,
// the protocol inspector with its JSON export, and the history.
import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { callerDecides, callerDevice, startVerification } from "./support";

test.describe.configure({ mode: "serial" });

// One operator for the whole file, so the history test sees the flows of the others.
test.beforeEach(async ({ context, baseURL }) => {
  await context.addCookies([{ name: "ciba_console_operator", value: `e2e-operator-${test.info().project.name || "chromium"}-0001`, url: baseURL! }]);
});

const cases = [
  { mode: "Poll", identifier: "alice@example.com", recognised: "Recognised as e-mail address" },
  { mode: "Ping", identifier: "+44 7700 900123", recognised: "Recognised as phone number" },
  { mode: "Push", identifier: "40012345", recognised: "Recognised as customer number" },
] as const;

for (const { mode, identifier, recognised } of cases) {
  test(`verifies Alice in ${mode.toLowerCase()} mode by ${recognised.replace("Recognised as ", "")}`, async ({ page }) => {
    const device = await callerDevice(page, "alice@example.com");
    await page.goto("/");
    await page.getByLabel("Caller's identifier").fill(identifier);
    await expect(page.getByText(recognised)).toBeVisible();
    await startVerification(page, { identifier, mode });
    await expect(page.getByRole("heading", { name: "Read this to the caller" })).toBeVisible();
    await expect(page.getByRole("timer")).toHaveAccessibleName(/^Expires in \d+ minutes?/);
    await callerDecides(page, device, "approve");
    await expect(page.getByRole("heading", { name: "Verified: Alice Martin" })).toBeVisible();
    const outcome = page.getByRole("region", { name: "Verified: Alice Martin" });
    await expect(outcome.getByText("alice@example.com")).toBeVisible();
    await expect(outcome.getByText("+447700900123")).toBeVisible();
    await expect(outcome.getByText("3f8d2c1e-5a7b-4e2f-9c1d-a11ce0000001")).toBeVisible();
    await expect(outcome.getByText("urn:ciba:acr:possession+knowledge")).toBeVisible();
    // The flow is in the URL: a reload shows the same final state.
    await page.reload();
    await expect(page.getByRole("heading", { name: "Verified: Alice Martin" })).toBeVisible();
    device.close();
  });
}

test("shows a denial, a suspected fraud and a cancel as their own final states", async ({ page }) => {
  const device = await callerDevice(page, "bob@example.com");
  await page.goto("/");
  await startVerification(page, { identifier: "bob@example.com", mode: "Poll" });
  await callerDecides(page, device, "deny");
  await expect(page.getByRole("heading", { name: "Denied by the caller" })).toBeVisible();

  await page.getByRole("button", { name: "New verification" }).click();
  await startVerification(page, { identifier: "bob@example.com", mode: "Ping" });
  await callerDecides(page, device, "fraud");
  await expect(page.getByRole("heading", { name: "Suspected fraud: the customer is not on a call" })).toBeVisible();

  await page.getByRole("button", { name: "New verification" }).click();
  await startVerification(page, { identifier: "bob@example.com", mode: "Push" });
  await expect(page.getByRole("heading", { name: "Read this to the caller" })).toBeVisible();
  await page.getByRole("button", { name: "Cancel request" }).click();
  await expect(page.getByRole("heading", { name: "Cancelled" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Cancelled" }).getByText(/the provider took it off the caller's device/)).toBeVisible();
  device.close();
});

test("explains an unknown caller in plain language, with the provider's code", async ({ page }) => {
  await page.goto("/");
  await startVerification(page, { identifier: "nobody@example.com", mode: "Poll" });
  await expect(page.getByRole("heading", { name: "No customer matches that identifier" })).toBeVisible();
  await expect(page.getByText("unknown_user_id (HTTP 400): no user matches the hint")).toBeVisible();
});

test("opens every message in the inspector and exports the flow as JSON", async ({ page }) => {
  const device = await callerDevice(page, "carol@example.com");
  await page.goto("/");
  await startVerification(page, { identifier: "carol@example.com", mode: "Push" });
  await callerDecides(page, device, "approve");
  await expect(page.getByRole("heading", { name: "Verified: Carol Nguyen" })).toBeVisible();
  await page.getByRole("link", { name: "Open protocol inspector" }).click();

  const messages = page.getByRole("list", { name: "Protocol messages in order" });
  await expect(messages.getByRole("button", { name: /^Step \d+: Backchannel authentication request, Consumption Device to OpenID Provider: 200/ })).toBeVisible();
  await messages.getByRole("button", { name: /^Step \d+: Push token notification, OpenID Provider to Consumption Device/ }).click();
  const push = page.getByRole("region", { name: /Push token notification/ });
  await expect(push.getByText(/^Bearer .{6}…\(43 characters, masked\)$/)).toBeVisible();
  await expect(push.getByRole("link", { name: /CIBA Core §10\.3\.1 Successful Token Notification/ })).toHaveAttribute(
    "href",
    "https://openid.net/specs/openid-client-initiated-backchannel-authentication-core-1_0.html#rfc.section.10.3.1",
  );
  await messages.getByRole("button", { name: /ID token validation/ }).click();
  const validation = page.getByRole("region", { name: /ID token validation/ });
  await expect(validation.getByText("Signature verified", { exact: true })).toBeVisible();
  await expect(validation.getByRole("listitem").filter({ hasText: "Access token hash (at_hash)" })).toContainText("matches the access token");

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export JSON" }).click();
  const file = await (await download).path();
  const exported = JSON.parse(await readFile(file, "utf8")) as { format: string; flow: { status: string; exchanges: unknown[] } };
  expect(exported.format).toBe("ciba-console-flow/1");
  expect(exported.flow.status).toBe("verified");
  expect(JSON.stringify(exported)).not.toMatch(/eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/);
  device.close();
});

test("lists this operator's flows with their outcomes in the history", async ({ page }) => {
  await page.goto("/history");
  const table = page.getByRole("table", { name: "Verifications with their outcomes" });
  await expect(table).toBeVisible();
  for (const outcome of ["Verified", "Denied", "Suspected fraud", "Cancelled", "Failed"]) {
    await expect(table.getByText(outcome, { exact: true }).first()).toBeVisible();
  }
});
