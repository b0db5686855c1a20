// The proxy (proxy.ts) makes Next.js buffer request bodies, cutting them (at a chunk boundary) past
// this size, and hold them until they have all arrived, whoever sends them. The proxy runs on every
// route but the snapshot upload (which streams its own body), and no other route takes more than
// 1 MB (JSON bodies, server actions), so keep just that: anonymous clients cannot make the server
// hold more than this per connection.
const proxyBodyLimit = 1024 * 1024 + 64 * 1024;

/** @type {import('next').NextConfig} */
const nextConfig = {
  experimental: { proxyClientMaxBodySize: proxyBodyLimit },
  // Server-only packages that read files from their own folder at run time, or are Node-only.
  serverExternalPackages: [
    "@azure/identity",
    "@azure/arm-resourcegraph",
    "@azure/arm-monitor",
    "@azure/arm-cognitiveservices",
    "@azure/core-rest-pipeline",
    "pdfkit",
    "better-sqlite3",
    "pg",
    "pg-copy-streams",
  ],
  // The build type-checks the app only; `npm test` type-checks everything (tests included) with tsc.
  typescript: { tsconfigPath: "tsconfig.build.json" },
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
