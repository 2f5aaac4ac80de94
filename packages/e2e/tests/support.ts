// The two people of every run: the operator at the console and the caller holding the phone, each in a
// browser context of their own, driven only through the UI by role and accessible name.
import { type Browser, type BrowserContext, expect, type Locator, type Page, test } from "@playwright/test";
import { urls } from "../playwright.config";

export const ALICE = { name: "Alice Martin", email: "alice@example.com", phone: "+44 7700 900123", customerNumber: "40012345", sub: "3f8d2c1e-5a7b-4e2f-9c1d-a11ce0000001" };
export const BOB = { name: "Bob Okafor", email: "bob@example.com" };
export const CAROL = { name: "Carol Nguyen", email: "carol@example.com" };
const PIN = "1234";

export type Mode = "Poll" | "Ping" | "Push";

export interface Person {
  context: BrowserContext;
  page: Page;
}

/** The operator's console in a fresh context (a fresh operator, with its own history). */
export async function openConsole(browser: Browser): Promise<Person> {
  const context = await browser.newContext({ baseURL: urls.console, viewport: { width: 1440, height: 1000 }, locale: "en-GB" });
  const page = await context.newPage();
  await page.goto("/");
  await expect(page.getByRole("button", { name: "Start verification" })).toBeEnabled();
  return { context, page };
}

/** A phone in its own context, signed in as `user` through the simulator's sign-in screen. */
export async function openPhone(browser: Browser, user: { name: string }): Promise<Person> {
  const context = await browser.newContext({ baseURL: urls.device, viewport: { width: 1280, height: 900 }, locale: "en-GB" });
  const page = await context.newPage();
  await page.goto("/");
  await page.getByRole("button", { name: new RegExp(user.name) }).click();
  await page.getByLabel("PIN").fill(PIN);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: user.name })).toBeVisible();
  await expect(page.getByText("Connection: Live")).toBeVisible();
  return { context, page };
}

export interface StartOptions {
  identifier: string;
  mode: Mode;
  expiry?: string;
  payment?: { amount: string; creditor: string; reference?: string };
}

export async function startVerification(operator: Page, options: StartOptions): Promise<void> {
  await operator.getByLabel("Caller's identifier").fill(options.identifier);
  await operator.getByRole("radio", { name: options.mode }).check({ force: true });
  if (options.expiry) await operator.getByLabel("Request expires after").selectOption({ label: options.expiry });
  if (options.payment) {
    await operator.getByRole("switch", { name: /Confirm a payment/ }).check({ force: true });
    await operator.getByLabel("Amount").fill(options.payment.amount);
    await operator.getByLabel("Creditor").fill(options.payment.creditor);
    if (options.payment.reference) await operator.getByLabel(/Reference/).fill(options.payment.reference);
  }
  await operator.getByRole("button", { name: "Start verification" }).click();
  await expect(operator.getByRole("heading", { name: "Read this to the caller" })).toBeVisible();
}

/** The binding message the console tells the operator to read out. */
export async function codeOnConsole(operator: Page): Promise<string> {
  const code = (await operator.getByLabel(/^Code /).innerText()).replace(/\s/g, "");
  expect(code).toMatch(/^[2-9A-Z]{4}$/);
  return code;
}

/** The request card on the phone that shows `code`: it must arrive live, without a reload. */
export function requestOnPhone(phone: Page, code: string): Locator {
  return phone.getByRole("article", { name: new RegExp(`Code ${code}$`) });
}

export async function approveOnPhone(phone: Page, code: string): Promise<void> {
  const card = requestOnPhone(phone, code);
  await expect(card).toBeVisible();
  await card.getByRole("button", { name: "Approve" }).click();
  await phone.getByLabel("PIN").fill(PIN);
  await phone.getByRole("button", { name: "Confirm" }).click();
}

export async function denyOnPhone(phone: Page, code: string, how: "Deny" | "I'm not on a call with anyone" = "Deny"): Promise<void> {
  const card = requestOnPhone(phone, code);
  await expect(card).toBeVisible();
  await card.getByRole("button", { name: how }).click();
}

/** The console's live timeline. */
export function timeline(operator: Page): Locator {
  return operator.getByRole("region", { name: "Live status" });
}

/** Keeps a screenshot of a final state with the test's artifacts (test-results/<test>/<name>.png). */
export async function keepScreenshot(page: Page, name: string): Promise<void> {
  const path = test.info().outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await test.info().attach(name, { path, contentType: "image/png" });
}

export async function closeAll(...people: Person[]): Promise<void> {
  for (const person of people) await person.context.close();
}
