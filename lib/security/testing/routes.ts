/**
 * Tests only: every route of the app, discovered from the file system (`app/**​/page.tsx`,
 * `app/**​/route.ts` with the HTTP methods it exports, metadata files such as `icon.svg`, and the files of `public/`),
 * with a concrete URL for each (dynamic segments filled with sample values).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";

export interface DiscoveredRoute {
  kind: "page" | "handler" | "file";
  /** The route as the file system spells it, e.g. /api/scans/[id]/diff */
  pattern: string;
  /** A concrete path, e.g. /api/scans/sample-id/diff */
  path: string;
  /** HTTP methods: exported ones for handlers, GET for pages and files. */
  methods: string[];
  file: string;
}

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
const METADATA_FILE = /^(icon|apple-icon|favicon|opengraph-image|twitter-image|robots|sitemap|manifest)\.[a-z]+$/;

function sampleFor(segment: string): string {
  const m = /^\[{1,2}(\.\.\.)?([^\]]+)\]{1,2}$/.exec(segment);
  if (!m) return segment;
  if (m[1]) return "subscriptions/00000000-0000-4000-8000-000000000000/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/sample";
  return `sample-${m[2].toLowerCase()}`;
}

export function discoverRoutes(appDir = "app"): DiscoveredRoute[] {
  const routes: DiscoveredRoute[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) {
        // Private folders (`_lib`, `_actions`) are not routes.
        if (!name.startsWith("_")) walk(full);
        continue;
      }
      const segments = relative(appDir, dir)
        .split(sep)
        .filter((s) => s !== "" && !/^\(.*\)$/.test(s));
      const pattern = "/" + segments.join("/");
      const path = "/" + segments.map(sampleFor).join("/");
      if (/^page\.(tsx|ts|jsx|js)$/.test(name)) routes.push({ kind: "page", pattern, path, methods: ["GET"], file: full });
      else if (/^route\.(ts|js)$/.test(name)) {
        const text = readFileSync(full, "utf8");
        const methods = METHODS.filter((m) => new RegExp(`export\\s+(?:async\\s+)?function\\s+${m}\\b|export\\s+const\\s+${m}\\b`).test(text));
        routes.push({ kind: "handler", pattern, path, methods, file: full });
      } else if (METADATA_FILE.test(name)) {
        const p = `${pattern === "/" ? "" : pattern}/${name}`;
        routes.push({ kind: "file", pattern: p, path: p, methods: ["GET"], file: full });
      }
    }
  };
  walk(appDir);
  // Static files in public/ are served at the root under their own names.
  const publicDir = join(appDir, "..", "public");
  let files: string[] = [];
  try {
    files = readdirSync(publicDir).sort();
  } catch {
    /* no public/ */
  }
  for (const name of files) {
    if (statSync(join(publicDir, name)).isFile())
      routes.push({ kind: "file", pattern: `/${name}`, path: `/${name}`, methods: ["GET"], file: join(publicDir, name) });
  }
  return routes;
}
