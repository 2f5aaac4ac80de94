// SIGTERM (a deploy, a scale-in) drains the instance: a token request held by long polling is answered
// at once, a request still arriving is read to its end and answered, and only then does the process
// exit, with status 0 and nothing logged as an error. The instance runs as in production: on PostgreSQL
// with Redis, so closing the Redis connections is part of what is checked.
import { request as httpRequest } from "node:http";
import { createDatabase, createRepositories, DEMO_CLIENT_SECRET } from "@ciba/db";
import { CIBA_GRANT_TYPE } from "@ciba/protocol";
import { afterAll, describe, expect, it } from "vitest";
import { type ReadyChildProvider, startChildProvider } from "../support/child-provider";
import { eventually } from "../support/deliveries";
import { ALICE, type Reachable, startRequest } from "../support/flows";
import { basic, type JsonResponse, postForm } from "../support/http";
import { clusterServices, redisPrefix } from "../support/services";

const services = await clusterServices();
const children: ReadyChildProvider[] = [];

/** A form POST whose body is sent in two parts: the second only when `finish` is called. */
function slowPost(baseUrl: string, path: string, body: string, authorization: string) {
  let respond!: (response: JsonResponse) => void;
  let fail!: (error: Error) => void;
  const answered = new Promise<JsonResponse>((resolve, reject) => ((respond = resolve), (fail = reject)));
  const req = httpRequest(`${baseUrl}${path}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "content-length": Buffer.byteLength(body), authorization },
  });
  req.on("error", fail);
  req.on("response", (res) => {
    const chunks: Buffer[] = [];
    res.on("data", (chunk: Buffer) => chunks.push(chunk));
    res.on("end", () => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(res.headers)) if (typeof value === "string") headers.set(name, value);
      respond({ status: res.statusCode!, headers, body: JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown> });
    });
  });
  const half = Math.floor(body.length / 2);
  req.write(body.slice(0, half));
  return { answered, finish: () => req.end(body.slice(half)) };
}

describe.skipIf(services.skip !== undefined)("a provider instance sent SIGTERM", () => {
  afterAll(async () => {
    await Promise.all(children.map((child) => child.stop("SIGKILL")));
    if (services.skip === undefined) await services.dispose();
  });

  it("answers the held long poll, finishes the request in flight, then exits cleanly", async () => {
    if (services.skip !== undefined) return;
    const provider = await startChildProvider({
      DATABASE_URL: services.databaseUrl,
      REDIS_URL: services.redisUrl,
      REDIS_PREFIX: redisPrefix(),
      CIBA_POLL_INTERVAL: "1",
    });
    children.push(provider);
    const at: Reachable = { issuer: provider.baseUrl };
    const db = createDatabase(services.databaseUrl);
    const repos = createRepositories(db);
    try {
      const { auth_req_id } = await startRequest(at, ALICE);
      const heldPoll = postForm(
        `${provider.baseUrl}/token`,
        { grant_type: CIBA_GRANT_TYPE, auth_req_id },
        { authorization: basic("demo-poll", DEMO_CLIENT_SECRET), prefer: "wait=30" },
      );
      await eventually(async () => expect((await repos.authRequests.findByAuthReqId(auth_req_id))?.lastPolledAt).toBeTruthy());
      const inFlight = slowPost(
        provider.baseUrl,
        "/backchannel-authentication",
        new URLSearchParams({ scope: "openid", login_hint: ALICE, binding_message: "DRAIN" }).toString(),
        basic("demo-poll", DEMO_CLIENT_SECRET),
      );

      provider.process.kill("SIGTERM");
      await provider.waitForOutput(/SIGTERM received: draining and shutting down/);

      const held = await heldPoll;
      expect(held.status).toBe(400);
      expect(held.body).toEqual({ error: "authorization_pending", error_description: "the end-user has not yet been authenticated" });
      expect(held.headers.get("connection")).toBe("close");

      inFlight.finish();
      const created = await inFlight.answered;
      expect(created.status).toBe(200);
      expect(created.body).toMatchObject({ expires_in: 300, interval: 1 });
      expect(typeof created.body.auth_req_id).toBe("string");

      expect(await provider.exited).toEqual({ code: 0, signal: null });
      expect(provider.output()).not.toMatch(/ ERROR /);
      // What the drained request created is in the database for the next instance.
      const stored = await repos.authRequests.findByAuthReqId(created.body.auth_req_id as string);
      expect(stored).toMatchObject({ status: "pending", bindingMessage: "DRAIN" });
    } finally {
      await db.close();
    }
  });
});
