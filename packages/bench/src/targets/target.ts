// What the benchmark needs from each implementation under test: where its CIBA endpoints are, a poll
// client and a ping client, two users, and how its Authentication Device approves a request.
export interface Credentials {
  id: string;
  secret: string;
}

export interface StartContext {
  /** The ping client's notification endpoint. */
  pingUrl: string;
  /** A folder of its own for database files. */
  dataDir: string;
}

export interface RunningTarget {
  baseUrl: string;
  pid: number;
  backchannelPath: string;
  tokenPath: string;
  poll: Credentials;
  ping: Credentials;
  /** login_hint of the user the load and the 10,000 pending requests are for. */
  loadUser: string;
  /** login_hint of the user who approves in the latency flows (nothing else is pending for them). */
  flowUser: string;
  /** Whether the token endpoint holds a pending poll (Prefer: wait) until the request ends. */
  longPolling: boolean;
  /** Untimed: what the device needs in hand to approve this request (it sees the binding message). */
  prepareApproval(authReqId: string, bindingMessage: string): Promise<string>;
  /** Timed: the device's approval; resolves with the HTTP status once answered. */
  approve(handle: string): Promise<number>;
  stop(): Promise<void>;
}

export interface Target {
  /** Row label, e.g. "ours (SQLite)". */
  name: string;
  role: "ours" | "reference" | "ceiling";
  start(context: StartContext): Promise<RunningTarget>;
}
