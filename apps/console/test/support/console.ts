// Starts the console's server (Relying Party, API, notification endpoints; no pages) next to a real
// provider process, and drives it through its HTTP API as the operator's browser does.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { readEnv } from "../../src/env";
import { createLogger } from "../../src/server/log";
import { type RunningConsole, startConsole } from "../../src/server/start";
import { type FlowView, isFinal } from "../../src/shared/flow-view";
import type { StartFlowInput } from "../../src/shared/start-flow";
import { freePort } from "./ports";
import { type ProviderProcess, startProviderProcess } from "./provider";

export const OPERATOR_COOKIE = "ciba_console_operator=test-operator-0000000001";

export interface Stack {
  console: RunningConsole;
  provider: ProviderProcess;
  dataDir: string;
  close(): Promise<void>;
}

export interface StackOptions {
  providerEnv?: Record<string, string>;
  consoleEnv?: Record<string, string>;
  /** Where the provider sends pings and pushes; the console itself unless a test puts something in between. */
  notificationUrl?: (consoleUrl: string) => Promise<string> | string;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const providerPort = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), "ciba-console-data-"));
  const running = await startConsole({
    env: readEnv({
      NODE_ENV: "test",
      HOST: "127.0.0.1",
      PROVIDER_URL: `http://127.0.0.1:${providerPort}`,
      CONSOLE_DATA_DIR: dataDir,
      LOG_LEVEL: "silent",
      ...options.consoleEnv,
    }),
    log: createLogger("silent"),
    port: 0,
    providerRetryMs: 100,
    engine: { pingFallbackMs: 30_000, expiryGraceMs: 3_000 },
  });
  const consoleUrl = `http://127.0.0.1:${running.port}`;
  const provider = await startProviderProcess({
    port: providerPort,
    consoleUrl: options.notificationUrl ? await options.notificationUrl(consoleUrl) : consoleUrl,
    env: options.providerEnv,
  });
  await waitUntil(() => running.link.status().state === "up" && Object.values(running.link.status().monitor).every(Boolean), "provider link up");
  return {
    console: running,
    provider,
    dataDir,
    async close() {
      await running.close();
      await provider.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function waitUntil(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export function consoleUrl(stack: Stack, path: string): string {
  return `http://127.0.0.1:${stack.console.port}${path}`;
}

export async function startFlow(stack: Stack, input: StartFlowInput): Promise<FlowView> {
  const response = await fetch(consoleUrl(stack, "/api/flows"), {
    method: "POST",
    headers: { "content-type": "application/json", cookie: OPERATOR_COOKIE },
    body: JSON.stringify(input),
  });
  if (response.status !== 201) throw new Error(`start failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as FlowView;
}

export async function getFlow(stack: Stack, id: string): Promise<FlowView> {
  const response = await fetch(consoleUrl(stack, `/api/flows/${id}`), { headers: { cookie: OPERATOR_COOKIE } });
  if (response.status !== 200) throw new Error(`get failed: ${response.status}`);
  return (await response.json()) as FlowView;
}

export async function cancelFlow(stack: Stack, id: string): Promise<Response> {
  return fetch(consoleUrl(stack, `/api/flows/${id}/cancel`), {
    method: "POST",
    headers: { "content-type": "application/json", cookie: OPERATOR_COOKIE },
    body: "{}",
  });
}

/** Waits for the flow to reach a final state and returns it. */
export async function finalFlow(stack: Stack, id: string, timeoutMs = 20_000): Promise<FlowView> {
  let flow: FlowView | null = null;
  await waitUntil(async () => isFinal((flow = await getFlow(stack, id)).status), `flow ${id} to end`, timeoutMs);
  return flow!;
}
