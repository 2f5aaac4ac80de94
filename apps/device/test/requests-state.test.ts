// How cards change under the user: live arrivals, endings announced by the provider, this device's own
// decisions, the countdown, and what a reload after a drop reveals.
import type { DeviceRequest } from "@ciba/protocol";
import { describe, expect, it } from "vitest";
import { initialRequestsState, type RequestsAction, type RequestsState, requestsReducer } from "../src/lib/requests-state";

const at = (minute: number) => new Date(Date.UTC(2030, 0, 1, 9, minute)).toISOString();

function request(id: string, minute: number): DeviceRequest {
  return {
    id,
    client_name: "Acme Bank call centre",
    binding_message: id.toUpperCase(),
    scope: "openid",
    acr_values: null,
    authorization_details: null,
    created_at: at(minute),
    expires_at: at(minute + 5),
  };
}

const run = (...actions: RequestsAction[]): RequestsState => actions.reduce(requestsReducer, initialRequestsState);
const outcome = (state: RequestsState, id: string) => state.cards.find((c) => c.request.id === id)?.outcome;
const ended = (id: string, status: "approved" | "denied" | "cancelled" | "expired", suspected_fraud = false): RequestsAction => ({
  type: "ended",
  ended: { id, status, suspected_fraud, description: null },
});

describe("requests on the device", () => {
  it("puts the newest request first and ignores a duplicate arrival", () => {
    const state = run(
      { type: "loaded", requests: [request("a", 0)], now: Date.parse(at(1)) },
      { type: "created", request: request("b", 2) },
      { type: "created", request: request("b", 2) },
    );
    expect(state.cards.map((c) => [c.request.id, c.live])).toEqual([
      ["b", true],
      ["a", false],
    ]);
  });

  it("marks a request ended elsewhere when the provider announces a decision this device did not make", () => {
    const state = run({ type: "created", request: request("a", 0) }, ended("a", "approved"));
    expect(outcome(state, "a")).toEqual({ status: "approved", suspectedFraud: false, where: "elsewhere", provisional: false });
  });

  it("keeps its own decision as its own when the announcement beats the HTTP answer", () => {
    const state = run(
      { type: "created", request: request("a", 0) },
      { type: "deciding", id: "a", decision: "report" },
      ended("a", "denied", true),
      { type: "decided", id: "a", decision: "report" },
    );
    expect(outcome(state, "a")).toEqual({ status: "denied", suspectedFraud: true, where: "here", provisional: false });
  });

  it("shows a cancel or an expiry from the provider at once", () => {
    const state = run(
      { type: "created", request: request("a", 0) },
      { type: "created", request: request("b", 1) },
      ended("a", "cancelled"),
      ended("b", "expired"),
    );
    expect(outcome(state, "a")?.status).toBe("cancelled");
    expect(outcome(state, "b")?.status).toBe("expired");
  });

  it("lets the provider's word replace the device's own guess at expiry, but not a final outcome", () => {
    let state = run({ type: "created", request: request("a", 0) }, { type: "expired-locally", id: "a" });
    expect(outcome(state, "a")).toMatchObject({ status: "expired", provisional: true });
    state = requestsReducer(state, ended("a", "approved"));
    expect(outcome(state, "a")).toMatchObject({ status: "approved", provisional: false });
    state = requestsReducer(state, ended("a", "expired"));
    expect(outcome(state, "a")?.status).toBe("approved");
  });

  it("ends, on reload, the requests that stopped being pending while offline, then learns how from the history", () => {
    let state = run(
      { type: "loaded", requests: [request("a", 0), request("b", 1)], now: Date.parse(at(1)) },
      { type: "loaded", requests: [request("c", 2)], now: Date.parse(at(2)) },
    );
    expect(state.cards.map((c) => [c.request.id, c.outcome?.status ?? "pending"])).toEqual([
      ["c", "pending"],
      ["b", "unavailable"],
      ["a", "unavailable"],
    ]);
    state = requestsReducer(state, {
      type: "resolved",
      history: [
        { ...request("a", 0), status: "approved", suspected_fraud: false, description: null, decided_at: at(2) },
        { ...request("b", 1), status: "cancelled", suspected_fraud: false, description: "cancelled by the client", decided_at: at(2) },
      ],
    });
    expect(outcome(state, "a")).toEqual({ status: "approved", suspectedFraud: false, where: "elsewhere", provisional: false });
    expect(outcome(state, "b")).toEqual({ status: "cancelled", suspectedFraud: false, where: "unknown", provisional: false });
  });

  it("clears the answer in flight when it failed, and removes a dismissed card", () => {
    let state = run({ type: "created", request: request("a", 0) }, { type: "deciding", id: "a", decision: "approve" });
    expect(state.cards[0]?.deciding).toBe("approve");
    state = requestsReducer(state, { type: "decision-failed", id: "a" });
    expect(state.cards[0]?.deciding).toBeNull();
    state = requestsReducer(state, { type: "dismissed", id: "a" });
    expect(state.cards).toEqual([]);
  });

  it("ignores an ending for a request it never showed", () => {
    const state = run({ type: "created", request: request("a", 0) });
    expect(requestsReducer(state, ended("zzz", "approved"))).toBe(state);
  });
});
