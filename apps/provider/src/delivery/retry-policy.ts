// What an attempt's result means for its delivery (project decision 7, checklist §11.5–§11.7):
//   any 2xx                    delivered; the body is ignored (CIBA Core §10.2 asks for 204, accepts 200)
//   3xx                        failed, final: the provider never follows redirects
//   4xx (and anything else)    failed, final: the client refused it, and asking again would not help
//   5xx, timeout, network      retried with exponential backoff until maxAttempts
//   endpoint refused by policy failed, final
import type { DeliveryStatus } from "@ciba/db";
import type { ProviderConfig } from "../config";
import type { PostResult } from "./http-post";

export type AttemptVerdict = "delivered" | "retrying" | "failed";

export function verdictOf(result: PostResult, attempt: number, maxAttempts: number): AttemptVerdict {
  const status = result.httpStatus;
  if (status !== null && status >= 200 && status < 300) return "delivered";
  const retryable = status !== null ? status >= 500 && status < 600 : result.failure !== "refused";
  return retryable && attempt < maxAttempts ? "retrying" : "failed";
}

export function statusAfter(verdict: AttemptVerdict): DeliveryStatus {
  return verdict === "retrying" ? "pending" : verdict;
}

/** What the log says went wrong, beside the status code. */
export function errorOf(result: PostResult): string | null {
  if (result.error) return result.error;
  const status = result.httpStatus;
  if (status !== null && status >= 300 && status < 400) return "the endpoint answered with a redirect, which is not followed";
  return null;
}

/**
 * Milliseconds to wait after failed attempt number `attempt` (1-based): the base doubled per attempt,
 * capped, with ±20 % jitter so many deliveries failing together do not retry in lockstep.
 */
export function backoffMs(attempt: number, delivery: ProviderConfig["delivery"], random: () => number = Math.random): number {
  const exponential = Math.min(delivery.retryBaseMs * 2 ** (attempt - 1), delivery.retryMaxMs);
  return Math.round(exponential * (0.8 + 0.4 * random()));
}
