// Records every HTTP exchange openid-client makes (through its customFetch hook) so the inspector can
// show the real request and response, masked. It can also add headers to a request, which is how the
// console asks for long polling (Prefer: wait=N) without openid-client having to know about it.
import type { CustomFetch } from "openid-client";
import type { HttpExchange } from "../shared/flow-view";
import { maskBody, maskHeaders } from "./mask";

export type RecordedExchange = HttpExchange & {
  /** The unmasked response body, for the caller to decode tokens from; never shown or stored. */
  rawResponseBody: string | null;
};

export interface RecordingOptions {
  onExchange(exchange: RecordedExchange): void;
  /** Extra request headers, decided per request (e.g. Prefer: wait=20 on token requests). */
  extraHeaders?(url: string, method: string): Record<string, string>;
  now?: () => number;
}

function bodyText(body: unknown): string | null {
  if (body === undefined || body === null) return null;
  if (typeof body === "string") return body;
  if (body instanceof URLSearchParams) return body.toString();
  return "[binary body]";
}

export function recordingFetch(options: RecordingOptions): CustomFetch {
  const now = options.now ?? Date.now;
  return async (url, init) => {
    const headers: Record<string, string> = { ...init.headers, ...options.extraHeaders?.(url, init.method) };
    const requestBody = bodyText(init.body);
    const request = {
      method: init.method,
      url,
      headers: maskHeaders(headers),
      body: maskBody(requestBody, headers["content-type"] ?? headers["Content-Type"]),
    };
    const started = now();
    let response: Response;
    try {
      response = await fetch(url, { ...init, headers } as RequestInit);
    } catch (error) {
      options.onExchange({
        request,
        response: null,
        duration_ms: now() - started,
        error: describeFetchError(error),
        rawResponseBody: null,
      });
      throw error;
    }
    const text = await response.clone().text();
    const responseHeaders = Object.fromEntries(response.headers.entries());
    options.onExchange({
      request,
      response: {
        status: response.status,
        headers: maskHeaders(responseHeaders),
        body: maskBody(text, responseHeaders["content-type"]),
      },
      duration_ms: now() - started,
      error: null,
      rawResponseBody: text,
    });
    return response;
  };
}

/**
 * One line on why a request got no usable answer. fetch's "fetch failed" hides the reason in `cause`
 * (ECONNREFUSED, a timeout); openid-client's "unexpected HTTP response status code" keeps the Response.
 */
export function describeFetchError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === "TimeoutError" || error.name === "AbortError") return "the provider did not answer in time";
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Response) return `${error.message}: HTTP ${cause.status} from ${cause.url || "the provider"}`;
  const { code, message } = (cause ?? {}) as { code?: string; message?: string };
  if (code) return message?.includes(code) ? message : `${code}: ${message ?? error.message}`;
  return error.message;
}
