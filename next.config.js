// The proxy (proxy.ts) makes Next.js buffer request bodies, cutting them (at a chunk boundary) past
// this size. Allow a snapshot upload its limit plus 1 MB (far more than one chunk), so the upload
// route sees an oversized body as oversized (413), never as truncated JSON. Same setting and default
// as uploadLimit() in app/api/_lib/http.ts.
const uploadLimit = Number(process.env.SPEECH_POSTURE_MAX_UPLOAD_BYTES) > 0 ? Number(process.env.SPEECH_POSTURE_MAX_UPLOAD_BYTES) : 100 * 1024 * 1024;

/** @type {import('next').NextConfig} */
const nextConfig = {
  experimental: { proxyClientMaxBodySize: uploadLimit + 1024 * 1024 },
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
