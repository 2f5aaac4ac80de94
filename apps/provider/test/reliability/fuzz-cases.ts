// Generated malformed requests for the fuzz test: each starts from a well-formed request to one
// endpoint (with real credentials, so the damage reaches past the first check) and breaks it in one to
// three ways — method, media type, encoding, size, types, JWTs, duplicated parameters, headers, path.
// A seeded generator makes every run reproducible (the seed is printed).
import { CIBA_GRANT_TYPE } from "@ciba/protocol";

export interface Credentials {
  deviceToken: string;
  authReqId: string;
  deviceRequestId: string;
  accessToken: string;
  refreshToken: string;
  idToken: string;
  registeredClientId: string;
  registrationAccessToken: string;
}

export interface FuzzCase {
  /** What was broken, to report a failure. */
  label: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

type BodyKind = "form" | "json" | "none";

interface Template {
  name: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  kind: BodyKind;
  /** Form parameters or JSON value of the well-formed request. */
  fields: Record<string, unknown>;
}

/** mulberry32: small, fast, good enough to pick mutations. */
export function seededRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (max: number) => Math.floor(next() * max),
    pick<T>(items: readonly T[]): T {
      return items[Math.floor(next() * items.length)]!;
    },
  };
}
type Random = ReturnType<typeof seededRandom>;

const b64 = (value: unknown) => Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");
const basicDemo = `Basic ${Buffer.from("demo-poll:demo-secret").toString("base64")}`;

function templates(c: Credentials): Template[] {
  const form = { "content-type": "application/x-www-form-urlencoded" };
  const json = { "content-type": "application/json" };
  const asClient = { ...form, authorization: basicDemo };
  return [
    { name: "discovery", method: "GET", path: "/.well-known/openid-configuration", headers: {}, kind: "none", fields: {} },
    { name: "jwks", method: "GET", path: "/jwks", headers: {}, kind: "none", fields: {} },
    { name: "healthz", method: "GET", path: "/healthz", headers: {}, kind: "none", fields: {} },
    {
      name: "backchannel-authentication",
      method: "POST",
      path: "/backchannel-authentication",
      headers: asClient,
      kind: "form",
      fields: { scope: "openid profile", login_hint: "alice@example.com", binding_message: "FUZZ", requested_expiry: "120", acr_values: "urn:ciba:acr:possession" },
    },
    { name: "token-ciba", method: "POST", path: "/token", headers: asClient, kind: "form", fields: { grant_type: CIBA_GRANT_TYPE, auth_req_id: c.authReqId } },
    { name: "token-refresh", method: "POST", path: "/token", headers: asClient, kind: "form", fields: { grant_type: "refresh_token", refresh_token: c.refreshToken } },
    { name: "cancel", method: "POST", path: "/backchannel-authentication/cancel", headers: asClient, kind: "form", fields: { auth_req_id: c.authReqId } },
    { name: "userinfo-get", method: "GET", path: "/userinfo", headers: { authorization: `Bearer ${c.accessToken}` }, kind: "none", fields: {} },
    { name: "userinfo-post", method: "POST", path: "/userinfo", headers: { ...form, authorization: `Bearer ${c.accessToken}` }, kind: "form", fields: {} },
    {
      name: "register",
      method: "POST",
      path: "/register",
      headers: json,
      kind: "json",
      fields: {
        client_name: "Fuzz RP",
        grant_types: [CIBA_GRANT_TYPE],
        backchannel_token_delivery_mode: "ping",
        backchannel_client_notification_endpoint: "http://127.0.0.1:1/cb",
        token_endpoint_auth_method: "client_secret_basic",
      },
    },
    {
      name: "registration-read",
      method: "GET",
      path: `/register/${c.registeredClientId}`,
      headers: { authorization: `Bearer ${c.registrationAccessToken}` },
      kind: "none",
      fields: {},
    },
    {
      name: "registration-update",
      method: "PUT",
      path: `/register/${c.registeredClientId}`,
      headers: { ...json, authorization: `Bearer ${c.registrationAccessToken}` },
      kind: "json",
      fields: { client_id: c.registeredClientId, client_name: "Fuzz RP", grant_types: [CIBA_GRANT_TYPE], backchannel_token_delivery_mode: "poll" },
    },
    { name: "device-login", method: "POST", path: "/device/login", headers: json, kind: "json", fields: { login_hint: "carol@example.com", pin: "1234" } },
    { name: "device-requests", method: "GET", path: "/device/requests", headers: { authorization: `Bearer ${c.deviceToken}` }, kind: "none", fields: {} },
    { name: "device-history", method: "GET", path: "/device/history", headers: { authorization: `Bearer ${c.deviceToken}` }, kind: "none", fields: {} },
    { name: "device-demo-users", method: "GET", path: "/device/demo-users", headers: {}, kind: "none", fields: {} },
    {
      name: "device-approve",
      method: "POST",
      path: `/device/requests/${c.deviceRequestId}/approve`,
      headers: { ...json, authorization: `Bearer ${c.deviceToken}` },
      kind: "json",
      fields: { pin: "0000" },
    },
    {
      name: "device-deny",
      method: "POST",
      path: `/device/requests/${c.deviceRequestId}/deny`,
      headers: { ...json, authorization: `Bearer ${c.deviceToken}` },
      kind: "json",
      fields: { pin: "0000", reason: "suspected_fraud" },
    },
    { name: "device-logout", method: "POST", path: "/device/logout", headers: { authorization: "Bearer not-a-session" }, kind: "none", fields: {} },
    {
      name: "automated-approval",
      method: "POST",
      path: `/ciba/automated-approval?auth_req_id=${c.authReqId}&action=deny`,
      headers: form,
      kind: "form",
      fields: {},
    },
    { name: "deliveries", method: "GET", path: `/ciba/deliveries?auth_req_id=${c.authReqId}`, headers: { authorization: basicDemo }, kind: "none", fields: {} },
    { name: "unknown", method: "GET", path: "/admin", headers: {}, kind: "none", fields: {} },
  ];
}

/** Broken JWTs of every shape: wrong segment counts, bad base64, bad JSON, alg none, absurd headers. */
function brokenJwt(r: Random, c: Credentials): string {
  const claims = { iss: "demo-poll", sub: "demo-poll", aud: "http://127.0.0.1", exp: 4102444800, iat: 1, jti: "x" };
  const variants = [
    () => "a.b.c",
    () => "",
    () => "..",
    () => "....",
    () => "eyJ",
    () => `${b64({ alg: "none" })}.${b64(claims)}.`,
    () => `${b64({ alg: "HS256", typ: "JWT" })}.${b64(claims)}.${b64("not a signature")}`,
    () => `${b64("{not json")}.${b64(claims)}.c2ln`,
    () => `${b64([1, 2, 3])}.${b64(claims)}.c2ln`,
    () => `${b64(42)}.${b64("null")}.c2ln`,
    () => `${b64({ alg: "RS256", kid: "k".repeat(5000) })}.${b64(claims)}.c2ln`,
    () => `${b64({ alg: "RS256", crit: ["b64"], b64: false })}.${b64(claims)}.c2ln`,
    () => `${b64({ alg: "ES256", typ: "dpop+jwt", jwk: { kty: "EC", crv: "P-256", x: "AA", y: "AA" } })}.${b64({ htm: "POST", htu: "x", iat: "now", jti: 5 })}.c2ln`,
    () => `${b64({ alg: "RS256", typ: "dpop+jwt", jwk: { kty: "RSA", n: "AQAB", e: "AQAB", d: "AQAB" } })}.${b64({})}.c2ln`,
    () => `${b64({ alg: "PS256", jwk: { kty: "oct", k: "AAAA" } })}.${b64(claims)}.c2ln`,
    () => `${b64({ alg: "RSA-OAEP", enc: "A256GCM" })}.YQ.YQ.YQ.YQ`,
    () => `${b64({ alg: "RS256" })}.${b64({ ...claims, exp: "tomorrow", aud: { a: 1 }, iat: [] })}.c2ln`,
    () => "ö.ä.ü",
    () => `${b64({ alg: "RS256" })}.${"A".repeat(60_000)}.c2ln`,
    () => c.idToken.split(".").slice(0, 2).join(".") + ".AAAA",
    () => c.accessToken.replace(/.$/, (ch) => (ch === "A" ? "B" : "A")),
    () => `${c.idToken}.${c.idToken}`,
  ];
  return r.pick(variants)();
}

const badEncodings = ["%", "%zz", "%E0%A4%A", "%C3%28", "%ED%A0%80", "%F4%90%80%80", "%00", "%C0%AF", "%FF%FE"];

function encodeForm(fields: Record<string, unknown>): string {
  return Object.entries(fields)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(typeof v === "string" ? v : JSON.stringify(v))}`)
    .join("&");
}

const sizes = [64 * 1024 + 1, 200 * 1024, 1024 * 1024];
const filler = new Map<number, string>(sizes.map((size) => [size, "x".repeat(size)]));

/** A mutation: changes the case in place; returns its label. */
type Mutation = (r: Random, draft: Draft, c: Credentials) => string;

/** Which templates a mutation breaks (applied elsewhere it would change nothing the endpoint reads). */
const hasBody = (t: Template) => t.kind !== "none";
const readsCredentials = (t: Template) => t.headers.authorization !== undefined;
const readsQuery = (t: Template) => t.path.includes("?");
const readsJwtParameters = (t: Template) => ["backchannel-authentication", "token-ciba", "token-refresh", "cancel"].includes(t.name);
const applicability: Record<string, (t: Template) => boolean> = {
  wrongMethod: () => true,
  badPath: () => true,
  wrongContentType: hasBody,
  noContentType: hasBody,
  badPercentEncoding: hasBody,
  invalidUtf8: hasBody,
  hugeBody: hasBody,
  hugeValue: (t) => Object.keys(t.fields).length > 0,
  wrongType: (t) => Object.keys(t.fields).length > 0,
  notAnObject: (t) => t.kind === "json",
  deepNesting: (t) => t.kind === "json",
  duplicateKeys: (t) => Object.keys(t.fields).length > 0,
  arrayStyleParams: (t) => t.kind === "form" && Object.keys(t.fields).length > 0,
  brokenJwtParameter: readsJwtParameters,
  brokenJwtHeader: readsCredentials,
  badAuthorization: readsCredentials,
  badQuery: readsQuery,
  badPrefer: (t) => t.name === "token-ciba",
  missingEverything: (t) => readsCredentials(t) || Object.keys(t.fields).length > 0,
};

interface Draft {
  template: Template;
  method: string;
  path: string;
  headers: Record<string, string>;
  fields: Record<string, unknown>;
  /** When set, replaces the body the fields would make. */
  raw?: string | Uint8Array;
  /** Extra form text appended to the encoded fields (duplicates, broken encodings). */
  formSuffix?: string;
}

const wrongValues: unknown[] = [42, -1, 1e308, true, null, [], ["a", "b"], {}, { $gt: "" }, "", " ", "\u0000", "💥".repeat(500), "a".repeat(70_000)];

const mutations: Mutation[] = [
  function wrongMethod(r, d) {
    d.method = r.pick(["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"].filter((m) => m !== d.method));
    return `method ${d.method}`;
  },
  function wrongContentType(r, d) {
    const type = r.pick(["text/plain", "application/xml", "multipart/form-data; boundary=x", "application/json", "application/x-www-form-urlencoded; charset=utf-16", "x/y", ";", "application/jsonx"]);
    d.headers["content-type"] = type;
    if (d.template.kind === "none") d.raw = "a=b";
    return `content-type ${type}`;
  },
  function noContentType(_r, d) {
    delete d.headers["content-type"];
    d.raw ??= d.template.kind === "json" ? JSON.stringify(d.fields) : encodeForm(d.fields);
    return "no content-type";
  },
  function badPercentEncoding(r, d) {
    const bad = r.pick(badEncodings);
    d.formSuffix = `${d.formSuffix ?? ""}&${r.pick(["scope", "auth_req_id", "x", bad])}=${bad}`;
    if (d.template.kind !== "form") d.raw = `a=${bad}`;
    return `percent-encoding ${bad}`;
  },
  function invalidUtf8(r, d) {
    const bytes = r.pick([[0xff, 0xfe], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xc0, 0xaf]]);
    const text = d.template.kind === "json" ? JSON.stringify(d.fields) : encodeForm(d.fields);
    const cut = r.int(text.length + 1);
    d.raw = Buffer.concat([Buffer.from(text.slice(0, cut)), Buffer.from(bytes), Buffer.from(text.slice(cut))]);
    return `invalid UTF-8 ${bytes.join(",")}`;
  },
  function hugeBody(r, d) {
    const size = r.pick(sizes);
    if (d.template.kind === "json") d.raw = JSON.stringify({ ...d.fields, padding: filler.get(size) });
    else d.formSuffix = `${d.formSuffix ?? ""}&padding=${filler.get(size)}`;
    return `body of ${size} bytes`;
  },
  function hugeValue(r, d) {
    const name = r.pick(Object.keys(d.template.fields));
    d.fields[name] = "A".repeat(r.pick([1000, 20_000, 60_000]));
    return `huge ${name}`;
  },
  function wrongType(r, d) {
    const name = r.pick(Object.keys(d.template.fields));
    d.fields[name] = r.pick(wrongValues);
    return `${name} of the wrong type`;
  },
  function notAnObject(r, d) {
    d.raw = r.pick(["[]", "null", "42", '"text"', "true", "[{}]", "", "{", '{"a":', "{}}", "\ufeff{}", "{'a':1}", "{\"a\":1,}", "NaN"]);
    if (d.template.kind !== "json") d.headers["content-type"] = "application/json";
    return `JSON body ${JSON.stringify(d.raw)}`;
  },
  function deepNesting(r, d) {
    const depth = r.pick([100, 1000, 5000]);
    d.raw = `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
    d.headers["content-type"] = "application/json";
    return `JSON nested ${depth} deep`;
  },
  function duplicateKeys(r, d) {
    if (d.template.kind === "json") {
      const name = r.pick(Object.keys(d.template.fields));
      d.raw = `${JSON.stringify(d.fields).slice(0, -1)},"${name}":${JSON.stringify(r.pick(wrongValues))},"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}}}`;
      return `duplicate JSON key ${name}`;
    }
    const name = r.pick(Object.keys(d.template.fields));
    d.formSuffix = `${d.formSuffix ?? ""}&${name}=${encodeURIComponent(String(d.template.fields[name]))}`;
    return `duplicate parameter ${name}`;
  },
  function arrayStyleParams(r, d) {
    d.formSuffix = `${d.formSuffix ?? ""}&${r.pick(["scope[]=openid", "a[b][c]=1", "=x", "&&&", "scope", "__proto__=x", "constructor[prototype]=1", "hasOwnProperty=1"])}`;
    return "odd parameter names";
  },
  function brokenJwtParameter(r, d, c) {
    const jwt = brokenJwt(r, c);
    const where = r.pick(["request", "client_assertion", "id_token_hint", "login_hint_token", "auth_req_id", "refresh_token"]);
    d.fields[where] = jwt;
    if (where === "client_assertion") {
      d.fields.client_assertion_type = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
      if (r.next() < 0.5) delete d.headers.authorization;
    }
    if (where === "id_token_hint" || where === "login_hint_token") delete d.fields.login_hint;
    return `broken JWT in ${where}`;
  },
  function brokenJwtHeader(r, d, c) {
    const jwt = brokenJwt(r, c);
    const header = r.pick(["dpop", "authorization"]);
    if (header === "dpop") d.headers.dpop = jwt;
    else d.headers.authorization = `${r.pick(["Bearer", "DPoP", "bearer", "Basic"])} ${jwt}`;
    return `broken JWT in ${header}`;
  },
  function badAuthorization(r, d) {
    d.headers.authorization = r.pick([
      "Basic",
      "Basic !!!",
      "Basic " + Buffer.from("no-colon").toString("base64"),
      "Basic " + Buffer.from(":").toString("base64"),
      "Basic " + Buffer.from("demo-poll:%zz").toString("base64"),
      "Basic " + Buffer.from("%ff:%ff").toString("base64"),
      "Basic " + Buffer.from("demo-poll:" + "s".repeat(4000)).toString("base64"),
      "Bearer",
      "Bearer  two  spaces",
      "Bearer " + "t".repeat(7000),
      "Digest username=x",
      "Basic ZGVtby1wb2xsOmRlbW8tc2VjcmV0, Basic ZGVtby1wb2xsOmRlbW8tc2VjcmV0",
      "",
    ]);
    return `authorization ${d.headers.authorization.slice(0, 30)}`;
  },
  function badPath(r, d) {
    const base = d.path.split("?")[0]!;
    d.path = r.pick([
      `${base}/`,
      `/${base}`,
      base.toUpperCase(),
      `${base}%2F..%2F`,
      `${base.replace(/[^/]+$/, "%ff")}`,
      `${base.replace(/[^/]+$/, "%00")}`,
      "/device/requests/%ff/approve",
      "/device/requests/%E0%A4%A/deny",
      "/register/%C0%AF",
      `/device/requests/${"a".repeat(3000)}/approve`,
      "/register/../jwks",
      `${base};jsessionid=1`,
      `${base}%`,
    ]);
    return `path ${d.path.slice(0, 40)}`;
  },
  function badQuery(r, d) {
    const [base, query] = d.path.split("?");
    d.path = `${base}?${query ? `${query}&` : ""}${r.pick(["auth_req_id=%ff", "auth_req_id=a&auth_req_id=b", "action=allow&action=deny", "%=%", "a[]=1&a[]=2", "x=" + "q".repeat(3000)])}`;
    return `query ${d.path.slice(base!.length, base!.length + 40)}`;
  },
  function badPrefer(r, d) {
    d.headers.prefer = r.pick(["wait=", "wait=-5", "wait=99999999999999999999", 'wait="', "wait=1;wait=2", ",,,", "wait=1e3", "wait=0x10"]);
    return `prefer ${d.headers.prefer}`;
  },
  function missingEverything(_r, d) {
    d.fields = {};
    d.headers = {};
    return "nothing but the method and path";
  },
];

function render(d: Draft): FuzzCase["body"] {
  if (d.raw !== undefined) return d.raw;
  if (d.template.kind === "json") return JSON.stringify(d.fields);
  if (d.template.kind === "form" || d.formSuffix) {
    const text = encodeForm(d.fields) + (d.formSuffix ?? "");
    return text.startsWith("&") ? text.slice(1) : text;
  }
  return undefined;
}

/** `count` malformed requests over every endpoint. */
export function generateCases(seed: number, count: number, credentials: Credentials): FuzzCase[] {
  const r = seededRandom(seed);
  const all = templates(credentials);
  const cases: FuzzCase[] = [];
  for (let i = 0; i < count; i++) {
    const template = all[i % all.length]!;
    const draft: Draft = {
      template,
      method: template.method,
      path: template.path,
      headers: { ...template.headers },
      fields: structuredClone(template.fields),
    };
    const applicable = mutations.filter((m) => applicability[m.name]!(template));
    const labels: string[] = [];
    for (let n = 1 + r.int(3); n > 0; n--) labels.push(r.pick(applicable)(r, draft, credentials));
    const body = draft.method === "GET" || draft.method === "HEAD" ? undefined : render(draft);
    cases.push({ label: `${template.name}: ${labels.join("; ")}`, method: draft.method, path: draft.path, headers: draft.headers, body });
  }
  return cases;
}

/** Requests no HTTP client library would send: Node's own parser must refuse them, never the process. */
export const rawRequests: string[] = [
  "GARBAGE\r\n\r\n",
  "GET\r\n\r\n",
  "GET / HTTP/9.9\r\n\r\n",
  "GET /token HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n",
  "POST /token HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
  "POST /token HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nabcdef",
  "POST /token HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nabc\r\n0\r\n\r\n",
  "POST /token HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
  "POST /token HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
  `GET /${"a".repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
  `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${"b".repeat(20_000)}\r\n\r\n`,
  "GET / HTTP/1.1\r\nHost: x\r\nX-Null: a\u0000b\r\n\r\n",
  "GET /healthz HTTP/1.1\r\n\r\n",
  "POST /device/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"a\":\r\n",
];
