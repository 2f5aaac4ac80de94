import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each test file starts its own provider on its own database; two run at once on two cores.
    maxWorkers: 2,
  },
});
