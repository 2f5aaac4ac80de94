// Small HTTP helpers for tests: form posts with client authentication, and parsed JSON answers.

export interface JsonResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

export function basic(clientId: string, secret: string): string {
  const encode = (v: string) => encodeURIComponent(v).replace(/%20/g, "+");
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(secret)}`).toString("base64")}`;
}

async function parse<T>(response: Response): Promise<JsonResponse<T>> {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text so a failing assertion shows it
  }
  return { status: response.status, headers: response.headers, body: body as T };
}

export async function postForm<T = Record<string, unknown>>(
  url: string,
  params: Record<string, string> | string,
  headers: Record<string, string> = {},
): Promise<JsonResponse<T>> {
  const body = typeof params === "string" ? params : new URLSearchParams(params).toString();
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body,
  });
  return parse<T>(response);
}

export async function postJson<T = Record<string, unknown>>(
  url: string,
  json: unknown,
  headers: Record<string, string> = {},
): Promise<JsonResponse<T>> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  return parse<T>(response);
}

export async function getJson<T = Record<string, unknown>>(url: string, headers: Record<string, string> = {}): Promise<JsonResponse<T>> {
  return parse<T>(await fetch(url, { headers }));
}
