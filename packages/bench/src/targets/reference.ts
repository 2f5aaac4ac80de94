// node-oidc-provider with its in-memory adapter (servers/reference-server.ts), in a process of its own.
import { fileURLToPath } from "node:url";
import { createHttpClient, formType } from "../http-client";
import { freePort, startServer } from "../processes";
import type { RunningTarget, StartContext, Target } from "./target";

const serverFile = fileURLToPath(new URL("../servers/reference-server.ts", import.meta.url));

export const referenceProvider: Target = { name: "node-oidc-provider 9 (memory)", role: "reference", start };

async function start(context: StartContext): Promise<RunningTarget> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const server = await startServer(
    "node-oidc-provider",
    serverFile,
    { NODE_ENV: "test", BENCH_PORT: String(port), BENCH_PING_URL: context.pingUrl },
    `${baseUrl}/.well-known/openid-configuration`,
  );
  const http = createHttpClient(baseUrl, 4);
  return {
    baseUrl,
    pid: server.pid,
    backchannelPath: "/backchannel",
    tokenPath: "/token",
    poll: { id: "bench-poll", secret: "bench-secret" },
    ping: { id: "bench-ping", secret: "bench-secret" },
    loadUser: "alice@example.com",
    flowUser: "bob@example.com",
    longPolling: false,
    // The device is told the auth_req_id itself.
    prepareApproval: (authReqId) => Promise.resolve(authReqId),
    async approve(authReqId) {
      return (await http.request("POST", "/bench/approve", new URLSearchParams({ auth_req_id: authReqId }).toString(), { "content-type": formType })).status;
    },
    async stop() {
      http.close();
      await server.stop();
    },
  };
}
