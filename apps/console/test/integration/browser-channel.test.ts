// The socket.io channel to the operator's browser: only the console's own pages may open it, only with
// an operator session, and each operator hears only about their own flows.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEnv } from "../../src/env";
import { createLogger } from "../../src/server/log";
import { type RunningConsole, startConsole } from "../../src/server/start";
import type { FlowChange, ProviderStatus } from "../../src/shared/flow-view";
import { freePort } from "../support/ports";

let running: RunningConsole;
let dataDir: string;
let url: string;
const sockets: Socket[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "console-channel-"));
  // No provider runs on this port: the console starts anyway and says the provider is down.
  const providerPort = await freePort();
  running = await startConsole({
    env: readEnv({ HOST: "127.0.0.1", PROVIDER_URL: `http://127.0.0.1:${providerPort}`, CONSOLE_DATA_DIR: dataDir }),
    log: createLogger("silent"),
    port: 0,
  });
  url = `http://127.0.0.1:${running.port}`;
});
afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await running.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function connect(headers: Record<string, string>): Socket {
  const socket = io(url, { transports: ["websocket"], extraHeaders: headers, reconnection: false });
  sockets.push(socket);
  return socket;
}

const outcome = (socket: Socket) =>
  new Promise<string>((resolve) => {
    socket.once("connect", () => resolve("connected"));
    socket.once("connect_error", (error) => resolve(error.message));
  });

describe("the browser channel", () => {
  it("refuses a page from another origin", async () => {
    expect(await outcome(connect({ origin: "https://evil.example", cookie: "ciba_console_operator=operator-aaaaaaaaaaaaaaaa" }))).toBe("websocket error");
  });

  it("refuses a connection without an operator session", async () => {
    expect(await outcome(connect({ origin: url }))).toBe("no operator session: reload the page");
  });

  it("sends the provider status on connect, and a flow's changes to its operator only", async () => {
    const mine = connect({ origin: url, cookie: "ciba_console_operator=operator-aaaaaaaaaaaaaaaa" });
    const status = new Promise<ProviderStatus>((resolve) => mine.once("provider:status", resolve));
    expect(await outcome(mine)).toBe("connected");
    expect((await status).provider_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const theirs = connect({ origin: url, cookie: "ciba_console_operator=operator-bbbbbbbbbbbbbbbb" });
    expect(await outcome(theirs)).toBe("connected");
    const heardByThem: FlowChange[] = [];
    theirs.on("flow:changed", (change: FlowChange) => heardByThem.push(change));
    const heardByMe = new Promise<FlowChange>((resolve) => mine.on("flow:changed", (change: FlowChange) => change.summary.status === "failed" && resolve(change)));

    const response = await fetch(`${url}/api/flows`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie: "ciba_console_operator=operator-aaaaaaaaaaaaaaaa" },
      body: JSON.stringify({ login_hint: "alice@example.com", delivery_mode: "poll" }),
    });
    expect(response.status).toBe(201);
    const change = await heardByMe;
    expect(change.summary.error?.code).toBe("provider_unreachable");
    expect(heardByThem).toEqual([]);
  });
});
