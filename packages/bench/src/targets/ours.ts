// Our provider, as `npm start` runs it (apps/provider/src/server.ts, demo profile, durable storage):
// on a fresh SQLite file, or on a PostgreSQL schema of its own. The poll client is the seeded
// demo-poll; the ping client registers itself (RFC 7591); the device is Bob's, signed in with his PIN.
import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DEMO_CLIENT_SECRET, DEMO_PIN, dropPostgresqlSchema, parseDatabaseUrl } from "@ciba/db";
import { CIBA_GRANT_TYPE } from "@ciba/protocol";
import { createHttpClient } from "../http-client";
import { freePort, startServer } from "../processes";
import type { RunningTarget, StartContext, Target } from "./target";

const serverFile = fileURLToPath(new URL("../../../../apps/provider/src/server.ts", import.meta.url));

/** `database`: "sqlite", or a postgresql:// URL on which a schema of its own is made and dropped. */
export function ourProvider(name: string, database: string): Target {
  return { name, role: "ours", start: (context) => start(database, context) };
}

async function start(database: string, context: StartContext): Promise<RunningTarget> {
  let databaseUrl: string;
  let dispose = async () => {};
  if (database === "sqlite") {
    databaseUrl = `file:${path.join(context.dataDir, `ours-${randomBytes(4).toString("hex")}.sqlite`)}`;
  } else {
    const url = new URL(database);
    url.searchParams.set("schema", `bench_${randomBytes(6).toString("hex")}`);
    databaseUrl = url.toString();
    dispose = () => dropPostgresqlSchema(parseDatabaseUrl(databaseUrl));
  }

  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const server = await startServer(
    "our provider",
    serverFile,
    {
      NODE_ENV: "test",
      HOST: "127.0.0.1",
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      // Request logging off: the reference and the ceiling log nothing per request either.
      LOG_LEVEL: "warn",
      // The shortest interval the provider allows; every poll of the benchmark respects it.
      CIBA_POLL_INTERVAL: "1",
    },
    `${baseUrl}/healthz`,
  );

  const http = createHttpClient(baseUrl, 4);
  try {
    const registered = await http.request(
      "POST",
      "/register",
      JSON.stringify({
        client_name: "Benchmark ping client",
        grant_types: [CIBA_GRANT_TYPE],
        backchannel_token_delivery_mode: "ping",
        backchannel_client_notification_endpoint: context.pingUrl,
        token_endpoint_auth_method: "client_secret_basic",
      }),
      { "content-type": "application/json" },
    );
    if (registered.status !== 201) throw new Error(`ping client registration failed: ${registered.status} ${registered.text}`);
    const ping = JSON.parse(registered.text) as { client_id: string; client_secret: string };

    const flowUser = "bob@example.com";
    const login = await http.request("POST", "/device/login", JSON.stringify({ login_hint: flowUser, pin: DEMO_PIN }), {
      "content-type": "application/json",
    });
    if (login.status !== 200) throw new Error(`device login failed: ${login.status} ${login.text}`);
    const device = { authorization: `Bearer ${(JSON.parse(login.text) as { device_token: string }).device_token}` };

    return {
      baseUrl,
      pid: server.pid,
      backchannelPath: "/backchannel-authentication",
      tokenPath: "/token",
      poll: { id: "demo-poll", secret: DEMO_CLIENT_SECRET },
      ping: { id: ping.client_id, secret: ping.client_secret },
      loadUser: "alice@example.com",
      flowUser,
      longPolling: true,
      // The device sees its user's pending requests with their binding messages, not auth_req_ids.
      async prepareApproval(_authReqId, bindingMessage) {
        const listed = await http.request("GET", "/device/requests", undefined, device);
        const found = (JSON.parse(listed.text) as Array<{ id: string; binding_message: string | null }>).find(
          (request) => request.binding_message === bindingMessage,
        );
        if (!found) throw new Error(`the device does not see the request ${bindingMessage}`);
        return found.id;
      },
      async approve(id) {
        const answer = await http.request("POST", `/device/requests/${id}/approve`, "{}", { ...device, "content-type": "application/json" });
        return answer.status;
      },
      async stop() {
        http.close();
        await server.stop();
        await dispose();
      },
    };
  } catch (error) {
    http.close();
    await server.stop();
    await dispose();
    throw error;
  }
}
