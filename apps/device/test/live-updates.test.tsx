// Live updates against the real provider process: requests appear without a reload, only on their own
// user's device; every way a request can end (here, on another device, by the client, by time) updates
// the open card at once; a dropped connection or a provider restart shows "Reconnecting…" and recovers
// by itself with the pending requests reloaded; an expired session returns to sign-in.
import { render, screen, waitForElementToBeRemoved, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { DeviceApp } from "../src/components/device-app";
import { Home } from "../src/components/home";
import { unlockAudio } from "../src/lib/chime";
import { createDeviceApi } from "../src/lib/device-api";
import {
  cancelRequest,
  deviceDecide,
  deviceHistory,
  deviceLogin,
  deviceLogout,
  devicePending,
  pollToken,
  startRequest,
} from "./support/flows";
import { type ProviderProcess, startProviderProcess } from "./support/provider-process";
import { type NetworkLink, startLink } from "./support/proxy";

let provider: ProviderProcess;
/** The device's only way to the provider, so tests can cut it. */
let link: NetworkLink;

beforeAll(async () => {
  provider = await startProviderProcess();
  link = await startLink(provider.port);
});
afterAll(async () => {
  await link?.close();
  await provider?.close();
});
afterEach(() => link.restore().catch(() => undefined));

/** Opens a phone signed in as `loginHint` (a Home screen of its own) and waits for the live connection. */
async function openPhone(loginHint: string) {
  const session = await deviceLogin(provider.url, loginHint);
  const onSessionExpired = vi.fn();
  const { container } = render(
    <Home api={createDeviceApi(link.url)} session={session} onSignOut={vi.fn()} onSessionExpired={onSessionExpired} />,
  );
  const phone = within(container);
  await phone.findByText("Live");
  return { phone, session, onSessionExpired };
}

const buttonsOf = (card: HTMLElement) => within(card).queryAllByRole("button").map((b) => b.textContent);

describe("requests arriving live", () => {
  it("shows Alice's request on her device with binding message, client, scopes and countdown, and never on Bob's", async () => {
    const alice = await openPhone("alice@example.com");
    const bob = await openPhone("bob@example.com");

    await startRequest(provider.url, "alice@example.com", { binding_message: "LIVE1", scope: "openid email" });
    const card = await alice.phone.findByRole("article", { name: /Code LIVE1/ });
    expect(within(card).getByRole("heading", { name: "Acme Bank call centre" })).toBeInTheDocument();
    expect(within(card).getByText("LIVE1")).toBeInTheDocument();
    expect(within(card).getAllByRole("listitem").map((li) => li.textContent)).toEqual([
      "Confirm that it's really you",
      "See your email address",
    ]);
    expect(within(card).getByText(/Expires in/)).toHaveTextContent(/Expires in [45]:\d\d/);
    expect(alice.phone.getByText("New request from Acme Bank call centre. Code LIVE1.")).toBeInTheDocument();
    expect(alice.phone.getByRole("tab", { name: /Requests/ })).toHaveTextContent("1 waiting");

    // Bob hears about his own request, sent after Alice's, and never about hers.
    await startRequest(provider.url, "bob@example.com", { binding_message: "BOB1" });
    await bob.phone.findByRole("article", { name: /Code BOB1/ });
    expect(bob.phone.queryByRole("article", { name: /Code LIVE1/ })).toBeNull();
  });

  it("chimes when a request arrives, unless the sound is switched off", async () => {
    // jsdom has no Web Audio: count the tones the chime would play.
    let tones = 0;
    const node = { connect: <T,>(next: T) => next, start: () => undefined, stop: () => undefined };
    class FakeAudioContext {
      state = "running";
      currentTime = 0;
      destination = {};
      createOscillator() {
        tones++;
        return { ...node, type: "sine", frequency: { value: 0 } };
      }
      createGain() {
        return { ...node, gain: { setValueAtTime: () => undefined, exponentialRampToValueAtTime: () => undefined } };
      }
      resume() {
        return Promise.resolve();
      }
    }
    vi.stubGlobal("AudioContext", FakeAudioContext);
    unlockAudio();

    const user = userEvent.setup();
    const alice = await openPhone("alice@example.com");
    await startRequest(provider.url, "alice@example.com", { binding_message: "CHIME1" });
    await alice.phone.findByRole("article", { name: /Code CHIME1/ });
    expect(tones).toBe(2);

    const sound = alice.phone.getByRole("button", { name: "Sound" });
    expect(sound).toHaveAttribute("aria-pressed", "true");
    await user.click(sound);
    expect(sound).toHaveAttribute("aria-pressed", "false");
    await startRequest(provider.url, "alice@example.com", { binding_message: "CHIME2" });
    await alice.phone.findByRole("article", { name: /Code CHIME2/ });
    expect(tones).toBe(2);
    vi.unstubAllGlobals();
  });

  it("ends the request as denied with Deny", async () => {
    const user = userEvent.setup();
    const alice = await openPhone("alice@example.com");
    const authReqId = await startRequest(provider.url, "alice@example.com", { binding_message: "DENY1" });
    const card = await alice.phone.findByRole("article", { name: /Code DENY1/ });
    await user.click(within(card).getByRole("button", { name: "Deny" }));
    await alice.phone.findByRole("heading", { name: "Request declined" });
    expect((await pollToken(provider.url, authReqId)).body).toEqual({
      error: "access_denied",
      error_description: "the end-user denied the authorization request",
    });
  });

  it("denies and flags suspected fraud with \"I'm not on a call with anyone\", as the provider records", async () => {
    const user = userEvent.setup();
    const alice = await openPhone("alice@example.com");
    const authReqId = await startRequest(provider.url, "alice@example.com", { binding_message: "FRAUD1" });
    const card = await alice.phone.findByRole("article", { name: /Code FRAUD1/ });
    await user.click(within(card).getByRole("button", { name: "I'm not on a call with anyone" }));
    await alice.phone.findByRole("heading", { name: "Reported as suspected fraud" });

    const entry = (await deviceHistory(provider.url, alice.session.device_token)).find((e) => e.binding_message === "FRAUD1");
    expect(entry).toMatchObject({ status: "denied", suspected_fraud: true });
    expect((await pollToken(provider.url, authReqId)).body).toMatchObject({ error: "access_denied" });
    // The activity list says so too.
    await user.click(alice.phone.getByRole("tab", { name: "Activity" }));
    expect(await alice.phone.findByText("Reported as fraud")).toBeInTheDocument();
  });
});

describe("a card that changes under the user", () => {
  it("shows a request approved on another device at once, with nothing left to act on", async () => {
    const alice = await openPhone("alice@example.com");
    await startRequest(provider.url, "alice@example.com", { binding_message: "ELSE1" });
    await alice.phone.findByRole("article", { name: /Code ELSE1/ });

    const otherDevice = await deviceLogin(provider.url, "alice@example.com");
    const pending = (await devicePending(provider.url, otherDevice.device_token)).find((r) => r.binding_message === "ELSE1")!;
    expect(await deviceDecide(provider.url, otherDevice.device_token, pending.id, "approve", { pin: "1234" })).toBe(200);

    await alice.phone.findByRole("heading", { name: "Approved on another device" });
    expect(buttonsOf(alice.phone.getByRole("article", { name: /Code ELSE1/ }))).toEqual(["Dismiss"]);
  });

  it("shows a client's cancel on an open card, even with the PIN step open", async () => {
    const user = userEvent.setup();
    const alice = await openPhone("alice@example.com");
    const authReqId = await startRequest(provider.url, "alice@example.com", { binding_message: "CANCEL1" });
    const card = await alice.phone.findByRole("article", { name: /Code CANCEL1/ });
    await user.click(within(card).getByRole("button", { name: "Approve" }));
    expect(within(card).getByLabelText("PIN")).toBeInTheDocument();

    expect((await cancelRequest(provider.url, authReqId)).status).toBe(200);
    await alice.phone.findByRole("heading", { name: "Acme Bank call centre cancelled this request" });
    expect(alice.phone.queryByLabelText("PIN")).toBeNull();
    expect(buttonsOf(alice.phone.getByRole("article", { name: /Code CANCEL1/ }))).toEqual(["Dismiss"]);
  });

  it("shows expiry on an open card without a reload", async () => {
    const alice = await openPhone("alice@example.com");
    await startRequest(provider.url, "alice@example.com", { binding_message: "EXPIRE1", requested_expiry: "2" });
    await alice.phone.findByRole("article", { name: /Code EXPIRE1/ });
    await alice.phone.findByRole("heading", { name: "This request expired" });
    expect(buttonsOf(alice.phone.getByRole("article", { name: /Code EXPIRE1/ }))).toEqual(["Dismiss"]);
  });
});

describe("faults", () => {
  it("shows Reconnecting… while the provider is unreachable and recovers by itself, reloading what changed", async () => {
    const alice = await openPhone("alice@example.com");
    await startRequest(provider.url, "alice@example.com", { binding_message: "DROP1" });
    await alice.phone.findByRole("article", { name: /Code DROP1/ });

    await link.cut();
    expect(await alice.phone.findByText("Reconnecting…")).toBeInTheDocument();
    expect(alice.phone.getByText("Offline")).toBeInTheDocument();

    // While the device is cut off: DROP1 is approved elsewhere and a new request starts.
    const otherDevice = await deviceLogin(provider.url, "alice@example.com");
    const drop1 = (await devicePending(provider.url, otherDevice.device_token)).find((r) => r.binding_message === "DROP1")!;
    expect(await deviceDecide(provider.url, otherDevice.device_token, drop1.id, "approve", { pin: "1234" })).toBe(200);
    await startRequest(provider.url, "alice@example.com", { binding_message: "DROP2" });

    await link.restore();
    await waitForElementToBeRemoved(() => alice.phone.queryByText("Reconnecting…"));
    expect(await alice.phone.findByText("Live")).toBeInTheDocument();
    expect(await alice.phone.findByRole("article", { name: /Code DROP2/ })).toBeInTheDocument();
    await alice.phone.findByRole("heading", { name: "Approved on another device" });
  });

  it("survives a provider restart and hears about new requests afterwards", async () => {
    const alice = await openPhone("alice@example.com");
    await provider.stop();
    expect(await alice.phone.findByText("Reconnecting…")).toBeInTheDocument();
    await provider.start();
    await waitForElementToBeRemoved(() => alice.phone.queryByText("Reconnecting…"), { timeout: 15_000 });
    await startRequest(provider.url, "alice@example.com", { binding_message: "AFTER1" });
    expect(await alice.phone.findByRole("article", { name: /Code AFTER1/ })).toBeInTheDocument();
  });

  it("says on the sign-in screen when the bank cannot be reached, and tries again on request", async () => {
    const user = userEvent.setup();
    await link.cut();
    render(<DeviceApp providerUrl={link.url} />);
    expect(await screen.findByText("We can't reach the bank right now.")).toBeInTheDocument();
    expect(screen.getByText(`Is the provider running at ${link.url}?`)).toBeInTheDocument();
    expect(screen.getByLabelText("Login hint")).toBeInTheDocument();

    await link.restore();
    await user.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByRole("button", { name: /Alice Martin/ })).toBeInTheDocument();
    expect(screen.queryByText("We can't reach the bank right now.")).toBeNull();
  });

  it("returns to sign-in with a message when the device session has expired", async () => {
    const session = await deviceLogin(provider.url, "carol@example.com");
    window.sessionStorage.setItem("ciba-device:session", JSON.stringify(session));
    render(<DeviceApp providerUrl={link.url} />);
    await screen.findByText("Live");

    // The session ends at the provider; the device learns it when it reconnects.
    await deviceLogout(provider.url, session.device_token);
    await link.cut();
    await link.restore();
    expect(await screen.findByText("Your session has expired. Please sign in again.")).toBeInTheDocument();
    expect(await screen.findByRole("button", { name: /Carol Nguyen/ })).toBeInTheDocument();
    expect(window.sessionStorage.getItem("ciba-device:session")).toBeNull();
  });
});
