// Masks credentials before an HTTP message is shown in the inspector, persisted or logged: client
// secrets, bearer tokens, notification tokens, access/refresh/ID tokens. JWTs are shown decoded
// elsewhere; their compact form never leaves the server.

const secretParams = new Set([
  "client_secret",
  "client_assertion",
  "client_notification_token",
  "access_token",
  "refresh_token",
  "id_token",
  "device_token",
  "request",
  "user_code",
]);

/** "eyJhbGci…" → "eyJhbG…(812 characters, masked)": enough to recognise, not enough to use. */
export function maskToken(token: string): string {
  if (token.length <= 8) return "••••••";
  return `${token.slice(0, 6)}…(${token.length} characters, masked)`;
}

/** Authorization header: Basic shows the client id only; Bearer shows a masked token. */
export function maskAuthorization(value: string): string {
  const [scheme = "", credentials = ""] = value.split(/\s+/, 2);
  if (/^basic$/i.test(scheme)) {
    const decoded = Buffer.from(credentials, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    const clientId = colon >= 0 ? decoded.slice(0, colon) : "";
    return `Basic base64(${decodeURIComponent(clientId)}:••••••)`;
  }
  if (/^(bearer|dpop)$/i.test(scheme)) return `${scheme} ${maskToken(credentials)}`;
  return `${scheme} ••••••`;
}

export function maskHeaders(headers: Record<string, string>): Record<string, string> {
  const masked: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (lower === "authorization") masked[lower] = maskAuthorization(value);
    else if (lower === "cookie" || lower === "set-cookie") masked[lower] = "••••••";
    else masked[lower] = value;
  }
  return masked;
}

/** A form body with secret parameters masked, one parameter per line for reading. */
export function maskFormBody(body: string): string {
  const params = new URLSearchParams(body);
  const lines: string[] = [];
  for (const [name, value] of params) {
    lines.push(`${name}=${secretParams.has(name) ? maskToken(value) : value}`);
  }
  return lines.join("\n");
}

/** A JSON body with secret members masked (recursively), pretty-printed; other text is returned as is. */
export function maskJsonBody(body: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return body;
  }
  return JSON.stringify(maskJson(parsed), null, 2);
}

function maskJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskJson);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, secretParams.has(k) && typeof v === "string" ? maskToken(v) : maskJson(v)]),
    );
  }
  return value;
}

/** Masks a body according to its content type. */
export function maskBody(body: string | null, contentType: string | undefined): string | null {
  if (body === null || body === "") return body === "" ? null : body;
  if (contentType?.includes("application/x-www-form-urlencoded")) return maskFormBody(body);
  if (contentType?.includes("json")) return maskJsonBody(body);
  return body;
}
