// node-oidc-provider with its in-memory adapter (servers/reference-server.ts), in a process of its own.
import { fileURLToPath } from "node:url";
import { startMemoryServer } from "./memory-server";
import type { Target } from "./target";

const serverFile = fileURLToPath(new URL("../servers/reference-server.ts", import.meta.url));

export const referenceProvider: Target = {
  name: "node-oidc-provider 9 (memory)",
  role: "reference",
  start: (context) =>
    startMemoryServer(
      { label: "node-oidc-provider", serverFile, readyPath: "/.well-known/openid-configuration", approvePath: "/bench/approve" },
      context,
    ),
};
