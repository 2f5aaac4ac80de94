// The reference and the ceiling alike: a server script of ours in a process of its own, keeping
// everything in memory, with the bench clients and users built in and a device endpoint told the
// auth_req_id itself.
import { createHttpClient, formType } from "../http-client";
import { freePort, startServer } from "../processes";
import type { RunningTarget, StartContext } from "./target";

export interface MemoryServer {
  /** Names the process in start-up errors. */
  label: string;
  serverFile: string;
  /** Answers once the server is ready. */
  readyPath: string;
  /** Where the device approves: a form with the auth_req_id. */
  approvePath: string;
}

export async function startMemoryServer(server: MemoryServer, context: StartContext): Promise<RunningTarget> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = await startServer(
    server.label,
    server.serverFile,
    { NODE_ENV: "test", BENCH_PORT: String(port), BENCH_PING_URL: context.pingUrl },
    `${baseUrl}${server.readyPath}`,
  );
  const http = createHttpClient(baseUrl, 4);
  return {
    baseUrl,
    pid: child.pid,
    backchannelPath: "/backchannel",
    tokenPath: "/token",
    poll: { id: "bench-poll", secret: "bench-secret" },
    ping: { id: "bench-ping", secret: "bench-secret" },
    loadUser: "alice@example.com",
    flowUser: "bob@example.com",
    longPolling: false,
    prepareApproval: (authReqId) => Promise.resolve(authReqId),
    async approve(authReqId) {
      const body = new URLSearchParams({ auth_req_id: authReqId }).toString();
      return (await http.request("POST", server.approvePath, body, { "content-type": formType })).status;
    },
    async stop() {
      http.close();
      await child.stop();
    },
  };
}
