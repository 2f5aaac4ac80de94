// The simulator's environment, read and validated once on the server. Nothing else reads process.env.
// The provider URL is handed to the browser at request time (as a prop), never baked in at build time,
// so one build serves any provider.
import { z } from "zod";

const envSchema = z.object({
  /** Where the provider's Device API and socket.io endpoint live. */
  PROVIDER_URL: z
    .url({ protocol: /^https?$/, error: "PROVIDER_URL must be an http(s) URL such as http://localhost:3000" })
    .default("http://localhost:3000")
    .transform((url) => url.replace(/\/+$/, "")),
});

export type DeviceEnv = z.infer<typeof envSchema>;

let parsed: DeviceEnv | null = null;

/** The validated environment; a bad value throws at start-up (instrumentation.ts) with a readable message. */
export function serverEnv(source: Record<string, string | undefined> = process.env): DeviceEnv {
  if (parsed && source === process.env) return parsed;
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new TypeError(`invalid device simulator environment:\n${problems}`);
  }
  if (source === process.env) parsed = result.data;
  return result.data;
}
