// NUL characters (found by the fuzz test on PostgreSQL, whose text type cannot hold them): refused at
// the door as invalid_request, identically on SQLite and PostgreSQL, never a 500; one that hides where
// the door cannot look (a JWT claim) and reaches PostgreSQL is still answered 400.
import type { AddressInfo } from "node:net";
import { DEMO_CLIENT_SECRET } from "@ciba/db";
import { CIBA_GRANT_TYPE } from "@ciba/protocol";
import express from "express";
import { io } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorHandler } from "../../src/http/error-handler";
import { createLogger } from "../../src/log";
import { url } from "../support/flows";
import { basic, getJson, postForm, postJson } from "../support/http";
import { startTestProvider, type TestProvider } from "../support/provider";

let provider: TestProvider;
beforeAll(async () => void (provider = await startTestProvider()));
afterAll(() => provider.close());

describe("NUL characters in a request", () => {
  it("are refused in form parameters", async () => {
    const response = await postForm(url(provider, "/token"), `grant_type=${encodeURIComponent(CIBA_GRANT_TYPE)}&auth_req_id=a%00b`, {
      authorization: basic("demo-poll", DEMO_CLIENT_SECRET),
    });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: "invalid_request", error_description: "parameter auth_req_id must not contain NUL characters" });
  });

  it("are refused in JSON bodies, in values and in keys", async () => {
    for (const body of [{ login_hint: "alice@example.com\u0000", pin: "1234" }, { login_hint: "alice@example.com", pin: "1234", nested: { "a\u0000": 1 } }]) {
      const response = await postJson(url(provider, "/device/login"), body);
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ error: "invalid_request", error_description: "request body must not contain NUL characters" });
    }
  });

  it("are refused in the path and the query", async () => {
    for (const path of ["/register/%00", "/device/requests/a%00/approve", "/ciba/deliveries?auth_req_id=%00"]) {
      const response = await getJson(url(provider, path));
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ error: "invalid_request", error_description: "the request URL must not contain NUL characters" });
    }
  });

  it("in Basic credentials or a client assertion's subject fail client authentication", async () => {
    const credentials = [basic("demo-poll\u0000", DEMO_CLIENT_SECRET), `Basic ${Buffer.from("demo\u0000poll:demo-secret").toString("base64")}`];
    for (const authorization of credentials) {
      const response = await postForm(url(provider, "/token"), { grant_type: CIBA_GRANT_TYPE, auth_req_id: "x" }, { authorization });
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ error: "invalid_client", error_description: "the Authorization header is not valid Basic credentials" });
    }
    const assertion = `${Buffer.from('{"alg":"RS256"}').toString("base64url")}.${Buffer.from('{"sub":"demo\\u0000poll"}').toString("base64url")}.c2ln`;
    const response = await postForm(url(provider, "/token"), {
      grant_type: CIBA_GRANT_TYPE,
      auth_req_id: "x",
      client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
      client_assertion: assertion,
    });
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ error: "invalid_client", error_description: "client_assertion is not a JWT naming the client in sub" });
  });

  it("in a monitor socket's client_id fail its authentication", async () => {
    const socket = io(`${provider.issuer}/monitor`, {
      auth: { client_id: "demo-poll\u0000", client_secret: DEMO_CLIENT_SECRET },
      transports: ["websocket"],
      reconnection: false,
    });
    const error = await new Promise<Error>((resolve) => socket.once("connect_error", resolve));
    socket.disconnect();
    expect(error.message).toBe("invalid_client: client authentication failed");
  });

  it.each([
    [
      "Prisma's PostgreSQL adapter",
      Object.assign(new Error("invalid byte sequence"), {
        name: "DriverAdapterError",
        cause: { kind: "postgres", code: "22021", message: 'invalid byte sequence for encoding "UTF8": 0x00' },
      }),
    ],
    [
      "pg, under the SQL layer of @ciba/db",
      Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { name: "error", severity: "ERROR", code: "22021" }),
    ],
  ])("that PostgreSQL refuses (22021) through %s are answered 400 invalid_request by the error handler", async (_layer, refused) => {
    const app = express();
    app.get("/", () => {
      throw refused;
    });
    app.use(errorHandler(createLogger("silent")));
    const server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    try {
      const response = await getJson(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ error: "invalid_request", error_description: "the request must not contain NUL characters" });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
