import type { NextConfig } from "next";

const config: NextConfig = {
  // The protocol package is consumed as TypeScript source (its exports point at src/index.ts).
  transpilePackages: ["@ciba/protocol"],
  reactStrictMode: true,
  poweredByHeader: false,
  // The simulator is a single screen; nothing links to a page that could be prefetched or cached.
  devIndicators: false,
};

export default config;
