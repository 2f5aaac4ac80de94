// The console is one OAuth client per delivery mode, each registered at the provider for that mode.
// The credentials stay in the server process; nothing here is ever sent to a browser.
import type { DeliveryMode } from "@ciba/protocol";
import type { Env } from "../env";

export interface RpClient {
  mode: DeliveryMode;
  clientId: string;
  clientSecret: string;
}

export type RpClients = Record<DeliveryMode, RpClient>;

export function clientsFromEnv(env: Env): RpClients {
  return {
    poll: { mode: "poll", clientId: env.CONSOLE_POLL_CLIENT_ID, clientSecret: env.CONSOLE_POLL_CLIENT_SECRET },
    ping: { mode: "ping", clientId: env.CONSOLE_PING_CLIENT_ID, clientSecret: env.CONSOLE_PING_CLIENT_SECRET },
    push: { mode: "push", clientId: env.CONSOLE_PUSH_CLIENT_ID, clientSecret: env.CONSOLE_PUSH_CLIENT_SECRET },
  };
}
