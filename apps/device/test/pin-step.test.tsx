// The PIN, at sign-in and at approval, against the real provider: the right PIN signs in and approves,
// a wrong one is refused with the attempts left and approves nothing, a locked PIN says so.
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DeviceApp } from "../src/components/device-app";
import { deviceLogin, devicePending, pollToken, startRequest } from "./support/flows";
import { type ProviderProcess, startProviderProcess } from "./support/provider-process";

let provider: ProviderProcess;

beforeAll(async () => {
  provider = await startProviderProcess();
});
afterAll(() => provider?.close());

/** Signs `loginHint` in through the Device API and opens the simulator as that tab's session. */
async function openSignedIn(loginHint: string) {
  const session = await deviceLogin(provider.url, loginHint);
  window.sessionStorage.setItem("ciba-device:session", JSON.stringify(session));
  render(<DeviceApp providerUrl={provider.url} />);
  await screen.findByText("Live");
  return session;
}

describe("signing in", () => {
  it("picks a demo customer, refuses a wrong PIN with the attempts left, and signs in with the right one", async () => {
    const user = userEvent.setup();
    render(<DeviceApp providerUrl={provider.url} />);
    await user.click(await screen.findByRole("button", { name: /Alice Martin/ }));

    const pin = screen.getByLabelText("PIN");
    expect(pin).toHaveFocus();
    await user.type(pin, "0000");
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("That PIN isn't right. 4 attempts left.");
    expect(pin).toHaveValue("");
    expect(pin).toHaveAttribute("aria-invalid", "true");

    await user.type(pin, "1234");
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByRole("heading", { level: 1, name: "Alice Martin" })).toBeInTheDocument();
    expect(await screen.findByText("Live")).toBeInTheDocument();
    expect(JSON.parse(window.sessionStorage.getItem("ciba-device:session")!)).toMatchObject({ user: { name: "Alice Martin" } });
  });

  it("takes a typed login hint, and sends an unknown one back with a message", async () => {
    const user = userEvent.setup();
    render(<DeviceApp providerUrl={provider.url} />);
    await user.type(await screen.findByLabelText("Login hint"), "nobody@example.com");
    await user.click(screen.getByRole("button", { name: "Continue" }));
    await user.type(screen.getByLabelText("PIN"), "1234");
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("We couldn't find a customer with that login hint.");

    await user.clear(screen.getByLabelText("Login hint"));
    await user.type(screen.getByLabelText("Login hint"), "+447700900456");
    await user.click(screen.getByRole("button", { name: "Continue" }));
    await user.type(screen.getByLabelText("PIN"), "1234");
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByRole("heading", { level: 1, name: "Bob Okafor" })).toBeInTheDocument();
  });

  it("signs out back to the sign-in screen", async () => {
    const user = userEvent.setup();
    await openSignedIn("bob@example.com");
    await user.click(screen.getByRole("button", { name: "Sign out" }));
    expect(await screen.findByText("You've signed out. See you soon.")).toBeInTheDocument();
    expect(window.sessionStorage.getItem("ciba-device:session")).toBeNull();
  });
});

describe("approving with the PIN", () => {
  it("refuses a wrong PIN without approving, then completes the flow with the right one", async () => {
    const user = userEvent.setup();
    const session = await openSignedIn("alice@example.com");
    const authReqId = await startRequest(provider.url, "alice@example.com", { binding_message: "PIN1" });
    const card = await screen.findByRole("article", { name: /Code PIN1/ });

    await user.click(within(card).getByRole("button", { name: "Approve" }));
    const pin = within(card).getByLabelText("PIN");
    expect(pin).toHaveFocus();
    await user.type(pin, "9999");
    await user.click(within(card).getByRole("button", { name: "Confirm" }));
    expect(await within(card).findByRole("alert")).toHaveTextContent("That PIN isn't right. 4 attempts left.");

    // Nothing was approved: the request is still pending at the provider.
    expect((await devicePending(provider.url, session.device_token)).map((r) => r.binding_message)).toEqual(["PIN1"]);
    expect((await pollToken(provider.url, authReqId)).body).toMatchObject({ error: "authorization_pending" });

    await user.type(within(card).getByLabelText("PIN"), "1234");
    await user.click(within(card).getByRole("button", { name: "Confirm" }));
    // The pending card is replaced by its outcome, with nothing left to act on.
    await screen.findByRole("heading", { name: "You confirmed it's you" });
    const done = screen.getByRole("article", { name: /Code PIN1/ });
    expect(within(done).getAllByRole("button").map((b) => b.textContent)).toEqual(["Dismiss"]);

    const tokens = await pollToken(provider.url, authReqId);
    expect(tokens.status).toBe(200);
    expect(tokens.body.token_type).toBe("Bearer");
    expect(typeof tokens.body.id_token).toBe("string");
  });

  it("approves with a simulated biometric check instead of the PIN", async () => {
    const user = userEvent.setup();
    await openSignedIn("alice@example.com");
    const authReqId = await startRequest(provider.url, "alice@example.com", { binding_message: "BIO1" });
    const card = await screen.findByRole("article", { name: /Code BIO1/ });
    await user.click(within(card).getByRole("button", { name: "Approve" }));
    await user.click(within(card).getByRole("button", { name: "Use biometrics" }));
    expect(within(card).getByRole("status")).toHaveTextContent("Checking your fingerprint…");
    expect(await screen.findByRole("heading", { name: "You confirmed it's you" })).toBeInTheDocument();
    expect((await pollToken(provider.url, authReqId)).status).toBe(200);
  });

  it("goes back from the PIN step with Cancel, to the same answers", async () => {
    const user = userEvent.setup();
    await openSignedIn("alice@example.com");
    await startRequest(provider.url, "alice@example.com", { binding_message: "BACK1" });
    const card = await screen.findByRole("article", { name: /Code BACK1/ });
    await user.click(within(card).getByRole("button", { name: "Approve" }));
    await user.click(within(card).getByRole("button", { name: "Cancel" }));
    expect(within(card).queryByLabelText("PIN")).toBeNull();
    expect(within(card).getByRole("button", { name: "Approve" })).toBeInTheDocument();
  });

  it("says the PIN is locked after too many wrong attempts, and approves nothing", async () => {
    const user = userEvent.setup();
    const session = await openSignedIn("carol@example.com");
    await startRequest(provider.url, "carol@example.com", { binding_message: "LOCK1" });
    const card = await screen.findByRole("article", { name: /Code LOCK1/ });
    await user.click(within(card).getByRole("button", { name: "Approve" }));
    for (const left of ["4 attempts", "3 attempts", "2 attempts", "1 attempt"]) {
      await user.type(within(card).getByLabelText("PIN"), "0000");
      await user.click(within(card).getByRole("button", { name: "Confirm" }));
      expect(await within(card).findByText(`That PIN isn't right. ${left} left.`)).toBeInTheDocument();
    }
    await user.type(within(card).getByLabelText("PIN"), "0000");
    await user.click(within(card).getByRole("button", { name: "Confirm" }));
    expect(await within(card).findByText("That PIN isn't right. Your PIN is now locked for 5 minutes.")).toBeInTheDocument();
    expect(within(card).getByLabelText("PIN")).toBeDisabled();
    expect(within(card).getByRole("button", { name: "Confirm" })).toBeDisabled();
    expect((await devicePending(provider.url, session.device_token)).map((r) => r.binding_message)).toEqual(["LOCK1"]);
  });
});
