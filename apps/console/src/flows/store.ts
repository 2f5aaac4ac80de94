// The console's own history of flows, one JSON file under the data directory (the repository's .data/
// by default). The console never touches the provider's database: this is the Relying Party's record
// of what it asked and what it got, with every credential already masked.
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { type FlowView, flowViewSchema, isFinal } from "../shared/flow-view";

const FILE_NAME = "console-history.json";
/** Older flows are dropped beyond this many, newest kept. */
const MAX_FLOWS = 500;

const fileSchema = z.object({
  version: z.literal(1),
  flows: z.array(z.object({ operator_id: z.string(), flow: flowViewSchema })),
});

export interface StoredFlow {
  operatorId: string;
  flow: FlowView;
}

export interface HistoryStore {
  list(operatorId: string): FlowView[];
  get(operatorId: string, id: string): FlowView | null;
  save(operatorId: string, flow: FlowView): Promise<void>;
  /** Waits for pending writes (shutdown, tests). */
  flush(): Promise<void>;
  file: string;
}

export async function openHistoryStore(dataDir: string, now: () => Date = () => new Date()): Promise<HistoryStore> {
  const file = path.join(dataDir, FILE_NAME);
  await mkdir(dataDir, { recursive: true });
  const flows = new Map<string, StoredFlow>();
  for (const stored of await load(file)) {
    flows.set(stored.flow.id, { operatorId: stored.operatorId, flow: closeInterrupted(stored.flow, now()) });
  }

  // Writes are serialised and coalesced: the file always holds a complete, parseable snapshot.
  let writing: Promise<void> = Promise.resolve();
  let dirty = false;
  const persist = () => {
    dirty = true;
    writing = writing.then(async () => {
      if (!dirty) return;
      dirty = false;
      const newest = [...flows.values()].sort((a, b) => b.flow.created_at.localeCompare(a.flow.created_at)).slice(0, MAX_FLOWS);
      const body = JSON.stringify({ version: 1, flows: newest.map((s) => ({ operator_id: s.operatorId, flow: s.flow })) });
      const temp = `${file}.${process.pid}.tmp`;
      await writeFile(temp, body, "utf8");
      await rename(temp, file);
    });
    return writing;
  };

  return {
    file,
    list(operatorId) {
      return [...flows.values()]
        .filter((s) => s.operatorId === operatorId)
        .map((s) => s.flow)
        .sort((a, b) => b.created_at.localeCompare(a.created_at));
    },
    get(operatorId, id) {
      const stored = flows.get(id);
      return stored && stored.operatorId === operatorId ? stored.flow : null;
    },
    save(operatorId, flow) {
      flows.set(flow.id, { operatorId, flow });
      return persist();
    },
    flush: () => writing,
  };
}

async function load(file: string): Promise<StoredFlow[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  const parsed = fileSchema.safeParse(json);
  // A damaged file, or one from an incompatible version, is set aside rather than crashing the console.
  if (!parsed.success) {
    await rename(file, `${file}.unreadable-${Date.now()}`);
    return [];
  }
  return parsed.data.flows.map((s) => ({ operatorId: s.operator_id, flow: s.flow }));
}

/** A flow still pending when the console stopped cannot be resumed: its notification token is gone. */
function closeInterrupted(flow: FlowView, now: Date): FlowView {
  if (isFinal(flow.status)) return flow;
  return {
    ...flow,
    status: "failed",
    status_detail: "the console stopped while this request was pending",
    ended_at: now.toISOString(),
    cancellable: false,
    poll_in_flight: false,
  };
}
