// The client's address as Express's `trust proxy` setting computes it (req.ip), for requests that never
// reach Express: socket.io handshakes. Behind a load balancer both see the same client, not the balancer.
import type { IncomingMessage } from "node:http";
import proxyaddr from "proxy-addr";
import type { ProviderConfig } from "../config";

type Trust = (address: string, hop: number) => boolean;

/** Compiles TRUST_PROXY the way Express does (true, a hop count, or addresses/subnets/names). */
function compileTrust(value: ProviderConfig["trustProxy"]): Trust {
  if (value === true) return () => true;
  if (typeof value === "number") return (_address, hop) => hop < value;
  if (typeof value === "string") return proxyaddr.compile(value.split(",").map((part) => part.trim()));
  return proxyaddr.compile([]);
}

export function clientAddressOf(trustProxy: ProviderConfig["trustProxy"]): (req: IncomingMessage) => string {
  const trust = compileTrust(trustProxy);
  return (req) => proxyaddr(req, trust);
}
