import { defineConfig } from "vitest/config";

export default defineConfig({
  // JSX without the React plugin: Vite 8 transforms TSX with oxc; tsconfig's "preserve" is for Next.
  oxc: { jsx: { runtime: "automatic" } },
  test: {
    environment: "jsdom",
    include: ["test/**/*.test.{ts,tsx}"],
    setupFiles: ["test/support/setup.ts"],
    pool: "forks",
    // Integration files each start their own provider process; two at once on two cores.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
