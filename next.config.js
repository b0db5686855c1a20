/** @type {import('next').NextConfig} */
const nextConfig = {
  // Server-only packages that read files from their own folder at run time, or are Node-only.
  serverExternalPackages: ["@azure/identity", "@azure/arm-resourcegraph", "@azure/arm-monitor", "@azure/arm-cognitiveservices", "@azure/core-rest-pipeline", "pdfkit", "better-sqlite3", "pg", "pg-copy-streams"],
  // The build type-checks the app only; `npm test` type-checks everything (tests included) with tsc.
  typescript: { tsconfigPath: "tsconfig.build.json" },
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
