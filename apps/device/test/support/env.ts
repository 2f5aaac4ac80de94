// The only place the device tests read the process environment: what a child process inherits.
export function inheritedEnv(): Record<string, string | undefined> {
  return { ...process.env };
}
