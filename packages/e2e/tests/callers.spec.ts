// Who gets the request: the caller named by a phone number or a customer number gets it on their
// phone, and nobody else ever does; a transaction travels to the phone with its amount and creditor.
import { expect, test } from "@playwright/test";
import {
  ALICE,
  approveOnPhone,
  BOB,
  closeAll,
  codeOnConsole,
  keepScreenshot,
  openConsole,
  openPhone,
  requestOnPhone,
  startVerification,
} from "./support";

for (const [kind, identifier, recognised] of [
  ["phone number", ALICE.phone, "Recognised as phone number"],
  ["customer number", ALICE.customerNumber, "Recognised as customer number"],
] as const) {
  test(`the operator finds Alice by her ${kind}`, async ({ browser }) => {
    const phone = await openPhone(browser, ALICE);
    const operator = await openConsole(browser);
    await operator.page.getByLabel("Caller's identifier").fill(identifier);
    await expect(operator.page.getByText(recognised)).toBeVisible();
    await startVerification(operator.page, { identifier, mode: "Poll" });
    const code = await codeOnConsole(operator.page);
    await approveOnPhone(phone.page, code);
    await expect(operator.page.getByRole("heading", { name: "Verified: Alice Martin" })).toBeVisible();
    await keepScreenshot(operator.page, `verified-by-${kind.replace(" ", "-")}`);
    await closeAll(operator, phone);
  });
}

test("Bob's phone, open at the same time, never shows Alice's request", async ({ browser }) => {
  const alice = await openPhone(browser, ALICE);
  const bob = await openPhone(browser, BOB);
  const operator = await openConsole(browser);
  await startVerification(operator.page, { identifier: ALICE.email, mode: "Push" });
  const code = await codeOnConsole(operator.page);

  await expect(requestOnPhone(alice.page, code)).toBeVisible();
  await approveOnPhone(alice.page, code);
  await expect(operator.page.getByRole("heading", { name: "Verified: Alice Martin" })).toBeVisible();
  await expect(bob.page.getByRole("article")).toHaveCount(0);
  await expect(bob.page.getByText(code)).toHaveCount(0);
  await keepScreenshot(bob.page, "bob-phone-untouched");
  await closeAll(operator, alice, bob);
});

test("a transaction shows on the phone with its amount and creditor", async ({ browser }) => {
  const phone = await openPhone(browser, ALICE);
  const operator = await openConsole(browser);
  await startVerification(operator.page, {
    identifier: ALICE.email,
    mode: "Ping",
    payment: { amount: "1250.00", creditor: "Northwind Property Ltd", reference: "Deposit 14 Elm Row" },
  });
  const code = await codeOnConsole(operator.page);
  const card = requestOnPhone(phone.page, code);
  await expect(card.getByText("£1,250.00")).toBeVisible();
  await expect(card.getByText("Northwind Property Ltd")).toBeVisible();
  await expect(card.getByText("Deposit 14 Elm Row")).toBeVisible();
  await keepScreenshot(phone.page, "transaction-on-phone");

  await approveOnPhone(phone.page, code);
  await expect(operator.page.getByRole("heading", { name: "Verified: Alice Martin" })).toBeVisible();
  await closeAll(operator, phone);
});
