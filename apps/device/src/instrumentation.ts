// Runs once when the Next.js server starts: validate the environment now, so a bad PROVIDER_URL stops
// `next start` with a clear message instead of failing on the first page view.
import { serverEnv } from "./env";

export function register() {
  serverEnv();
}
