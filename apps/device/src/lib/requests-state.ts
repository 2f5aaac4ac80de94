// The request cards on the device and how they change: loaded from the Device API, created and ended
// live over socket.io, decided here, or expired by the countdown. A pure reducer, so every way a card can
// change under the user is testable without a browser.
import type { DeviceHistoryEntry, DeviceRequest, RequestEnded, RequestOutcome } from "@ciba/protocol";

/** Who ended the request, as far as this device knows. */
export type EndedWhere = "here" | "elsewhere" | "unknown";

export interface CardOutcome {
  /** `unavailable`: the request stopped being pending while the device was offline, cause not yet known. */
  status: RequestOutcome | "unavailable";
  suspectedFraud: boolean;
  where: EndedWhere;
  /** A guess made on the device (countdown at zero, missing after a reload) that the provider's word replaces. */
  provisional: boolean;
}

export type Decision = "approve" | "deny" | "report";

export interface RequestCard {
  request: DeviceRequest;
  outcome: CardOutcome | null;
  /** The decision this device has sent and not yet heard back about. */
  deciding: Decision | null;
  /** Arrived over the live connection (rather than in a list), so it gets the arrival animation. */
  live: boolean;
}

export interface RequestsState {
  cards: RequestCard[];
  /** The pending list has been loaded at least once. */
  loaded: boolean;
}

export type RequestsAction =
  | { type: "loaded"; requests: DeviceRequest[]; now: number }
  | { type: "created"; request: DeviceRequest }
  | { type: "ended"; ended: RequestEnded }
  | { type: "deciding"; id: string; decision: Decision }
  | { type: "decided"; id: string; decision: Decision }
  | { type: "decision-failed"; id: string }
  | { type: "gone"; id: string; now: number }
  | { type: "expired-locally"; id: string }
  | { type: "resolved"; history: DeviceHistoryEntry[] }
  | { type: "dismissed"; id: string };

export const initialRequestsState: RequestsState = { cards: [], loaded: false };

const expectedStatus: Record<Decision, RequestOutcome> = { approve: "approved", deny: "denied", report: "denied" };

function update(state: RequestsState, id: string, change: (card: RequestCard) => RequestCard): RequestsState {
  let changed = false;
  const cards = state.cards.map((card) => {
    if (card.request.id !== id) return card;
    const next = change(card);
    changed ||= next !== card;
    return next;
  });
  return changed ? { ...state, cards } : state;
}

/** Newest first: the request the caller is talking about right now is on top. */
function byNewest(a: RequestCard, b: RequestCard): number {
  return Date.parse(b.request.created_at) - Date.parse(a.request.created_at);
}

/** Ended on the device's own guess: expired if its time is up, otherwise cause unknown until resolved. */
function vanished(card: RequestCard, now: number): RequestCard {
  if (card.outcome) return card;
  const expired = Date.parse(card.request.expires_at) <= now;
  return {
    ...card,
    deciding: null,
    outcome: { status: expired ? "expired" : "unavailable", suspectedFraud: false, where: "unknown", provisional: true },
  };
}

export function requestsReducer(state: RequestsState, action: RequestsAction): RequestsState {
  switch (action.type) {
    case "loaded": {
      // The list is the provider's truth about what is pending: add what is new, and end what vanished
      // (it was decided, cancelled or expired while this device was not listening).
      const pending = new Map(action.requests.map((r) => [r.id, r]));
      const known = new Set(state.cards.map((c) => c.request.id));
      const cards = state.cards.map((card) => (!card.outcome && !pending.has(card.request.id) ? vanished(card, action.now) : card));
      for (const request of action.requests) {
        if (!known.has(request.id)) cards.push({ request, outcome: null, deciding: null, live: false });
      }
      return { cards: cards.sort(byNewest), loaded: true };
    }
    case "created": {
      if (state.cards.some((c) => c.request.id === action.request.id)) return state;
      const card: RequestCard = { request: action.request, outcome: null, deciding: null, live: true };
      return { ...state, cards: [card, ...state.cards].sort(byNewest) };
    }
    case "ended":
      return update(state, action.ended.id, (card) => {
        if (card.outcome && !card.outcome.provisional) return card;
        const { status, suspected_fraud } = action.ended;
        // Our own decision may be announced before its HTTP answer arrives: it is still ours.
        const ours = card.deciding !== null && expectedStatus[card.deciding] === status;
        const where: EndedWhere = ours ? "here" : status === "approved" || status === "denied" ? "elsewhere" : "unknown";
        return { ...card, deciding: null, outcome: { status, suspectedFraud: suspected_fraud, where, provisional: false } };
      });
    case "deciding":
      return update(state, action.id, (card) => (card.outcome ? card : { ...card, deciding: action.decision }));
    case "decided":
      return update(state, action.id, (card) => ({
        ...card,
        deciding: null,
        outcome: {
          status: expectedStatus[action.decision],
          suspectedFraud: action.decision === "report",
          where: "here",
          provisional: false,
        },
      }));
    case "decision-failed":
      return update(state, action.id, (card) => (card.deciding ? { ...card, deciding: null } : card));
    case "gone":
      return update(state, action.id, (card) => vanished(card, action.now));
    case "expired-locally":
      return update(state, action.id, (card) =>
        card.outcome
          ? card
          : { ...card, deciding: null, outcome: { status: "expired", suspectedFraud: false, where: "unknown", provisional: true } },
      );
    case "resolved": {
      // The history tells how requests that vanished while offline really ended.
      const ended = new Map(action.history.map((h) => [h.id, h]));
      let next = state;
      for (const card of state.cards) {
        const entry = ended.get(card.request.id);
        if (!entry || !card.outcome?.provisional) continue;
        next = requestsReducer(next, {
          type: "ended",
          ended: { id: entry.id, status: entry.status, suspected_fraud: entry.suspected_fraud, description: entry.description },
        });
      }
      return next;
    }
    case "dismissed":
      return { ...state, cards: state.cards.filter((c) => c.request.id !== action.id) };
  }
}

/** Cards whose ending is still a guess, to look up in the history. */
export function needsResolving(state: RequestsState): boolean {
  return state.cards.some((c) => c.outcome?.provisional);
}

export function pendingCount(state: RequestsState): number {
  return state.cards.filter((c) => !c.outcome).length;
}
