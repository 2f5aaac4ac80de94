// The console's own history file: what it keeps, for whom, and what happens to a flow that was still
// pending when the console stopped.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Flow } from "../../src/flows/flow";
import { openHistoryStore } from "../../src/flows/store";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "console-store-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function flow(operatorId: string, loginHint: string, at: string) {
  return new Flow({
    operatorId,
    mode: "poll",
    clientId: "demo-poll",
    loginHint,
    hintKind: "email",
    scope: "openid",
    acrValues: null,
    bindingMessage: "4F7K",
    transaction: null,
    requestedExpiry: null,
    now: new Date(at),
  });
}

describe("history store", () => {
  it("keeps each operator's flows, newest first, across a restart", async () => {
    const store = await openHistoryStore(dir);
    const older = flow("op-a", "alice@example.com", "2026-01-01T10:00:00Z");
    older.finish("verified", { identity: { sub: "s", name: "Alice Martin", email: null, phone_number: null, acr: null, amr: null, auth_time: null } }, new Date("2026-01-01T10:01:00Z"));
    const newer = flow("op-a", "bob@example.com", "2026-01-01T11:00:00Z");
    newer.finish("denied", {}, new Date("2026-01-01T11:01:00Z"));
    const someoneElse = flow("op-b", "carol@example.com", "2026-01-01T12:00:00Z");
    await store.save("op-a", older.view());
    await store.save("op-a", newer.view());
    await store.save("op-b", someoneElse.view());

    const reopened = await openHistoryStore(dir);
    expect(reopened.list("op-a").map((f) => [f.login_hint, f.status])).toEqual([
      ["bob@example.com", "denied"],
      ["alice@example.com", "verified"],
    ]);
    expect(reopened.get("op-b", older.id)).toBeNull();
    expect(JSON.parse(readFileSync(path.join(dir, "console-history.json"), "utf8"))).toMatchObject({ version: 1 });
  });

  it("closes a flow that was pending when the console stopped: it cannot be resumed", async () => {
    const store = await openHistoryStore(dir);
    const pending = flow("op-a", "alice@example.com", "2026-01-01T10:00:00Z");
    pending.update({ status: "pending", cancellable: true });
    await store.save("op-a", pending.view());

    const reopened = await openHistoryStore(dir, () => new Date("2026-01-01T10:05:00Z"));
    expect(reopened.get("op-a", pending.id)).toMatchObject({
      status: "failed",
      status_detail: "the console stopped while this request was pending",
      ended_at: "2026-01-01T10:05:00.000Z",
      cancellable: false,
    });
  });

  it("sets an unreadable file aside instead of refusing to start", async () => {
    for (const content of [JSON.stringify({ version: 99, flows: "?" }), "{ truncated"]) {
      writeFileSync(path.join(dir, "console-history.json"), content);
      const store = await openHistoryStore(dir);
      expect(store.list("op-a")).toEqual([]);
    }
  });
});
