// How long after the user's approval the client learns of it, one flow after another:
//   ping       from the device's approve request to the ping fully read at the client's endpoint;
//   token      from the approve request to the answer of a token request sent as soon as the
//              approval is answered (a poll client that happens to poll right then);
//   long poll  from the approve request to the answer of a token request held with Prefer: wait.
// Each flow starts its own request (untimed) and the device finds it by its binding message (untimed).
import { setTimeout as sleep } from "node:timers/promises";
import type { PingReceiver } from "../receiver";
import type { RunningTarget } from "../targets/target";
import type { CibaClient } from "./flows";

export interface Percentiles {
  p50: number;
  p99: number;
}

let flowNumber = 0;

function percentiles(samples: number[]): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
  return { p50: at(0.5), p99: at(0.99) };
}

async function pending(target: RunningTarget, ciba: CibaClient, mode: "poll" | "ping") {
  const bindingMessage = `B${++flowNumber}`;
  const client = mode === "ping" ? target.ping : target.poll;
  const extra: Record<string, string> = { binding_message: bindingMessage };
  if (mode === "ping") extra.client_notification_token = `bench-${flowNumber}-notification-token`;
  const authReqId = await ciba.startRequest(client, target.flowUser, extra);
  const handle = await target.prepareApproval(authReqId, bindingMessage);
  return { authReqId, handle };
}

function expectApproved(status: number) {
  if (status !== 200) throw new Error(`approval answered ${status}`);
}

export async function approveToPing(target: RunningTarget, ciba: CibaClient, receiver: PingReceiver): Promise<number> {
  const { authReqId, handle } = await pending(target, ciba, "ping");
  const arrived = receiver.expect(authReqId);
  const started = performance.now();
  const approved = target.approve(handle);
  const at = await arrived;
  expectApproved(await approved);
  return at - started;
}

export async function approveToToken(target: RunningTarget, ciba: CibaClient): Promise<number> {
  const { authReqId, handle } = await pending(target, ciba, "poll");
  const started = performance.now();
  expectApproved(await target.approve(handle));
  const answer = await ciba.tokenRequest(target.poll, authReqId);
  const elapsed = performance.now() - started;
  if (answer.status !== 200) throw new Error(`token request answered ${answer.status} ${answer.text}`);
  return elapsed;
}

/** Tries to start the long poll before approving; null when the token request was not held in time. */
async function longPollOnce(target: RunningTarget, ciba: CibaClient): Promise<number | null> {
  const { authReqId, handle } = await pending(target, ciba, "poll");
  const held = ciba.tokenRequest(target.poll, authReqId, { prefer: "wait=30" });
  // Give the token request time to reach the provider and be held; checked below (Preference-Applied).
  await sleep(10);
  const started = performance.now();
  const approved = target.approve(handle);
  const answer = await held;
  const elapsed = performance.now() - started;
  expectApproved(await approved);
  if (answer.status !== 200) throw new Error(`long poll answered ${answer.status} ${answer.text}`);
  return answer.headers["preference-applied"] === "wait=30" ? elapsed : null;
}

export async function approveToLongPoll(target: RunningTarget, ciba: CibaClient): Promise<number> {
  // On a loaded machine the approval may overtake the token request: that flow is run again.
  for (let attempt = 0; attempt < 20; attempt++) {
    const elapsed = await longPollOnce(target, ciba);
    if (elapsed !== null) return elapsed;
  }
  throw new Error("the token request was never held (no Preference-Applied) in 20 attempts");
}

/** Runs `flow` `warmUp` times unmeasured, then `count` times, and returns p50 and p99 in ms. */
export async function measureLatency(warmUp: number, count: number, flow: () => Promise<number>): Promise<Percentiles> {
  for (let i = 0; i < warmUp; i++) await flow();
  const samples: number[] = [];
  for (let i = 0; i < count; i++) samples.push(await flow());
  return percentiles(samples);
}
