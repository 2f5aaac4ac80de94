// What a developer learning CIBA and an operator reviewing their shift rely on: a refused request
// explained in plain words with the provider's code, the protocol inspector with every message of a
// flow (masked secrets, spec links, the ID token validation) and its JSON export, and the history of
// the operator's flows with their outcomes.
import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { approveOnPhone, CAROL, closeAll, codeOnConsole, keepScreenshot, openConsole, openPhone, startVerification } from "./support";

test("the inspector shows every message of a push flow, exports it, and the history lists the operator's outcomes", async ({ browser }) => {
  const operator = await openConsole(browser);
  const { page } = operator;

  // A caller nobody knows: the provider's refusal, explained.
  await page.getByLabel("Caller's identifier").fill("nobody@example.com");
  await page.getByRole("button", { name: "Start verification" }).click();
  await expect(page.getByRole("heading", { name: "No customer matches that identifier" })).toBeVisible();
  await expect(page.getByText("unknown_user_id (HTTP 400): no user matches the hint")).toBeVisible();

  // Carol verified by push, then the flow opened in the inspector.
  const phone = await openPhone(browser, CAROL);
  await page.goto("/");
  await startVerification(page, { identifier: CAROL.email, mode: "Push" });
  await approveOnPhone(phone.page, await codeOnConsole(page));
  await expect(page.getByRole("heading", { name: "Verified: Carol Nguyen" })).toBeVisible();
  await page.getByRole("link", { name: "Open protocol inspector" }).click();

  const messages = page.getByRole("list", { name: "Protocol messages in order" });
  await expect(messages.getByRole("button", { name: /^Step \d+: Backchannel authentication request, Consumption Device to OpenID Provider: 200/ })).toBeVisible();
  await messages.getByRole("button", { name: /^Step \d+: Push token notification, OpenID Provider to Consumption Device/ }).click();
  const push = page.getByRole("region", { name: /Push token notification/ });
  // The client_notification_token is masked, and the step links to its section of the spec.
  await expect(push.getByText(/^Bearer .{6}…\(43 characters, masked\)$/)).toBeVisible();
  await expect(push.getByRole("link", { name: /CIBA Core §10\.3\.1 Successful Token Notification/ })).toHaveAttribute(
    "href",
    "https://openid.net/specs/openid-client-initiated-backchannel-authentication-core-1_0.html#rfc.section.10.3.1",
  );
  await messages.getByRole("button", { name: /ID token validation/ }).click();
  const validation = page.getByRole("region", { name: /ID token validation/ });
  await expect(validation.getByText("Signature verified", { exact: true })).toBeVisible();
  await expect(validation.getByRole("listitem").filter({ hasText: "Access token hash (at_hash)" })).toContainText("matches the access token");
  await keepScreenshot(page, "inspector");

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export JSON" }).click();
  const exported = JSON.parse(await readFile((await (await download).path()), "utf8")) as { format: string; flow: { status: string; exchanges: unknown[] } };
  expect(exported.format).toBe("ciba-console-flow/1");
  expect(exported.flow.status).toBe("verified");
  expect(exported.flow.exchanges.length).toBeGreaterThanOrEqual(4);
  // No whole token leaves the console in an export.
  expect(JSON.stringify(exported)).not.toMatch(/eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/);

  await page.goto("/history");
  const table = page.getByRole("table", { name: "Verifications with their outcomes" });
  await expect(table.getByRole("row")).toHaveCount(3);
  await expect(table.getByRole("row").filter({ hasText: CAROL.email }).getByText("Verified", { exact: true })).toBeVisible();
  await expect(table.getByRole("row").filter({ hasText: "nobody@example.com" }).getByText("Failed", { exact: true })).toBeVisible();
  await keepScreenshot(page, "history");
  await closeAll(operator, phone);
});
