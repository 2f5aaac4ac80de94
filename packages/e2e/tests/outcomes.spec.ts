// The other ways a verification ends: it expires, the operator cancels it, or the caller says they are
// not on a call (suspected fraud). Each ends in its own state on both screens.
import { expect, test } from "@playwright/test";
import {
  BOB,
  CAROL,
  closeAll,
  codeOnConsole,
  denyOnPhone,
  keepScreenshot,
  openConsole,
  openPhone,
  requestOnPhone,
  startVerification,
} from "./support";

test("a request nobody answers expires on both screens", async ({ browser }) => {
  const phone = await openPhone(browser, CAROL);
  const operator = await openConsole(browser);
  await startVerification(operator.page, { identifier: CAROL.email, mode: "Poll", expiry: "15 seconds" });
  const code = await codeOnConsole(operator.page);
  const card = requestOnPhone(phone.page, code);
  await expect(card).toBeVisible();

  await expect(operator.page.getByRole("heading", { name: /^Expired/ })).toBeVisible({ timeout: 30_000 });
  await expect(card.getByRole("button", { name: "Approve" })).toHaveCount(0);
  await expect(card.getByRole("button", { name: "Dismiss" })).toBeVisible();
  await keepScreenshot(operator.page, "expired-console");
  await keepScreenshot(phone.page, "expired-phone");
  await closeAll(operator, phone);
});

test("the operator cancels, and the phone's card ends at once", async ({ browser }) => {
  const phone = await openPhone(browser, BOB);
  const operator = await openConsole(browser);
  await startVerification(operator.page, { identifier: BOB.email, mode: "Ping" });
  const code = await codeOnConsole(operator.page);
  const card = requestOnPhone(phone.page, code);
  await expect(card.getByRole("button", { name: "Approve" })).toBeVisible();

  await operator.page.getByRole("button", { name: "Cancel request" }).click();
  await expect(operator.page.getByRole("heading", { name: "Cancelled" })).toBeVisible();
  await expect(card.getByRole("button", { name: "Approve" })).toHaveCount(0);
  await expect(card.getByRole("button", { name: "Dismiss" })).toBeVisible();
  await keepScreenshot(operator.page, "cancelled-console");
  await keepScreenshot(phone.page, "cancelled-phone");
  await closeAll(operator, phone);
});

test("a caller who is not on a call ends it as suspected fraud", async ({ browser }) => {
  const phone = await openPhone(browser, BOB);
  const operator = await openConsole(browser);
  await startVerification(operator.page, { identifier: BOB.email, mode: "Push" });
  const code = await codeOnConsole(operator.page);
  await denyOnPhone(phone.page, code, "I'm not on a call with anyone");

  await expect(operator.page.getByRole("heading", { name: "Suspected fraud: the customer is not on a call" })).toBeVisible();
  await keepScreenshot(operator.page, "suspected-fraud-console");
  await closeAll(operator, phone);
});
