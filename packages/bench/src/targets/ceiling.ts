// A bare node:http server (servers/ceiling-server.ts): what HTTP on this machine allows at best.
import { fileURLToPath } from "node:url";
import { startMemoryServer } from "./memory-server";
import type { Target } from "./target";

const serverFile = fileURLToPath(new URL("../servers/ceiling-server.ts", import.meta.url));

export const bareCeiling: Target = {
  name: "bare node:http (ceiling)",
  role: "ceiling",
  start: (context) => startMemoryServer({ label: "the bare server", serverFile, readyPath: "/healthz", approvePath: "/approve" }, context),
};
