// Alice verified in each delivery mode, through the real console and the real phone, with each mode's
// own path visible on the timeline; and a denial in each mode.
import { expect, test } from "@playwright/test";
import {
  ALICE,
  approveOnPhone,
  closeAll,
  codeOnConsole,
  denyOnPhone,
  keepScreenshot,
  type Mode,
  openConsole,
  openPhone,
  requestOnPhone,
  startVerification,
  timeline,
} from "./support";

/** What the timeline must (and must not) show for each mode's way of getting the result. */
const paths: Record<Mode, { shows: RegExp[]; never: RegExp[] }> = {
  Poll: { shows: [/Polling the token endpoint/, /Tokens received from the token endpoint/], never: [/Ping received/, /Push received/] },
  Ping: { shows: [/Ping received: bearer token verified/, /Tokens received from the token endpoint/], never: [/Push received/] },
  Push: { shows: [/Push received: ID token validated/], never: [/Polling the token endpoint/, /Tokens received from the token endpoint/, /Ping received/] },
};

for (const mode of ["Poll", "Ping", "Push"] as const) {
  test(`${mode.toLowerCase()} mode: the operator verifies Alice by e-mail`, async ({ browser }) => {
    const phone = await openPhone(browser, ALICE);
    const operator = await openConsole(browser);
    await startVerification(operator.page, { identifier: ALICE.email, mode });

    const code = await codeOnConsole(operator.page);
    await expect(requestOnPhone(phone.page, code)).toBeVisible();
    await expect(requestOnPhone(phone.page, code).getByText("Acme Bank call centre")).toBeVisible();
    await approveOnPhone(phone.page, code);

    await expect(operator.page.getByRole("heading", { name: "Verified: Alice Martin" })).toBeVisible();
    const verified = operator.page.getByRole("region", { name: "Verified: Alice Martin" });
    await expect(verified.getByText(ALICE.email)).toBeVisible();
    await expect(verified.getByText("+447700900123")).toBeVisible();
    await expect(verified.getByText(ALICE.sub)).toBeVisible();
    await expect(verified.getByText("urn:ciba:acr:possession+knowledge")).toBeVisible();

    const steps = timeline(operator.page);
    // The console accepts tokens only after validating the ID token (signature, iss, aud, exp, at_hash, rt_hash).
    await expect(steps.getByText(/ID token validated/).first()).toBeVisible();
    for (const shown of paths[mode].shows) await expect(steps.getByText(shown)).toBeVisible();
    for (const absent of paths[mode].never) await expect(steps.getByText(absent)).toHaveCount(0);

    await keepScreenshot(operator.page, `${mode.toLowerCase()}-verified-console`);
    await keepScreenshot(phone.page, `${mode.toLowerCase()}-verified-phone`);
    await closeAll(operator, phone);
  });

  test(`${mode.toLowerCase()} mode: the caller denies`, async ({ browser }) => {
    const phone = await openPhone(browser, ALICE);
    const operator = await openConsole(browser);
    await startVerification(operator.page, { identifier: ALICE.email, mode });
    const code = await codeOnConsole(operator.page);
    await denyOnPhone(phone.page, code);

    await expect(operator.page.getByRole("heading", { name: "Denied by the caller" })).toBeVisible();
    await expect(operator.page.getByRole("heading", { name: /Verified/ })).toHaveCount(0);
    await keepScreenshot(operator.page, `${mode.toLowerCase()}-denied-console`);
    await closeAll(operator, phone);
  });
}
