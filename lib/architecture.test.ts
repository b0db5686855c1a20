/**
 * The import graph of `lib/`: no circles, and no import from a lower layer to a higher one
 * (app/components → views/report/scan → store → posture; azure → posture; auth and security
 * leaf-ish). Read with the TypeScript compiler's own pre-processor, so `import type`,
 * `export … from` and dynamic `import()` all count.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/** File → the files it imports (repository-relative paths). */
type ImportGraph = Map<string, string[]>;

/** What each folder of lib/ may import besides itself; lib/ never imports app/, components/, bin/ or emulator/. */
const MAY_IMPORT: Record<string, readonly string[]> = {
  posture: [],
  // Alert rules, their evaluation and the messages: pure, like posture.
  alerts: ["posture"],
  azure: ["posture"],
  // Sending alerts over HTTPS (SSRF policy, signature, retries): I/O that knows nothing of alerts' meaning.
  webhooks: [],
  // Alert rules are parsed by lib/alerts before they are written, as exceptions are by lib/posture.
  store: ["posture", "alerts"],
  report: ["posture", "store"],
  // The server's composition (jobs-server) hands the store to sign-in, for sign-outs that outlive a restart.
  scan: ["posture", "azure", "store", "report", "auth", "alerts", "webhooks"],
  views: ["posture", "store", "scan", "report", "auth", "alerts"],
  // Sign-outs and exchanged tokens are kept in the store.
  auth: ["store"],
  security: ["auth", "posture"],
};

/** `lib/store/x.ts` → "store"; `lib/cli-util.ts` → "cli-util"; outside lib → its top folder. */
function area(path: string): string {
  const parts = path.split("/");
  return parts[0] === "lib" ? parts[1].replace(/\.tsx?$/, "") : parts[0];
}

function layerViolations(graph: ImportGraph): string[] {
  const out: string[] = [];
  for (const [from, targets] of graph) {
    if (!from.startsWith("lib/")) continue;
    const mine = area(from);
    for (const to of targets) {
      const theirs = area(to);
      if (theirs === mine) continue;
      if (!to.startsWith("lib/")) out.push(`${from} → ${to} (lib/ never imports ${theirs}/)`);
      else if (!(MAY_IMPORT[mine] ?? []).includes(theirs))
        out.push(`${from} → ${to} (${mine} may import only: ${(MAY_IMPORT[mine] ?? []).join(", ") || "nothing else"})`);
    }
  }
  return out;
}

/** Every circle, each once, as a path that returns to its start (depth-first, Tarjan-free: the graph is small). */
function findCycles(graph: ImportGraph): string[][] {
  const cycles: string[][] = [];
  const seen = new Set<string>();
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, "open");
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === "open") {
        const cycle = stack.slice(stack.indexOf(next));
        const key = [...cycle].sort().join("|");
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push([...cycle, next]);
        }
      } else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, "done");
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return cycles;
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Production code only: tests and their fixtures (`testing/`) may reach anywhere to set a scene. */
function isProduction(path: string): boolean {
  return !/\.test\.tsx?$/.test(path) && !path.split("/").includes("testing");
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    const path = `${dir}/${name}`;
    if (statSync(join(ROOT, path)).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.tsx?$/.test(name) && !name.endsWith(".d.ts")) out.push(path);
  }
  return out;
}

function resolveImport(from: string, specifier: string): string | undefined {
  let base: string;
  if (specifier.startsWith("@/")) base = specifier.slice(2);
  else if (specifier.startsWith(".")) base = relative(ROOT, resolve(ROOT, dirname(from), specifier));
  else return undefined; // a package
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`]) {
    try {
      if (statSync(join(ROOT, candidate)).isFile()) return candidate.split("\\").join("/");
    } catch {
      /* try the next */
    }
  }
  return undefined;
}

function importGraph(dir: string): ImportGraph {
  const graph: ImportGraph = new Map();
  for (const file of sourceFiles(dir).filter(isProduction)) {
    const info = ts.preProcessFile(readFileSync(join(ROOT, file), "utf8"), true, true);
    const targets = info.importedFiles.map((f) => resolveImport(file, f.fileName)).filter((t): t is string => t !== undefined);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

describe("the import graph of lib/", () => {
  const graph = importGraph("lib");

  it("reads the graph (a sanity check that imports resolve)", () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get("lib/store/findings/query.ts")).toContain("lib/store/findings/scan-index.ts");
  });

  it("has no circles", () => {
    expect(findCycles(graph).map((c) => c.join(" → "))).toEqual([]);
  });

  it("imports only downward", () => {
    expect(layerViolations(graph)).toEqual([]);
  });
});

describe("the checks themselves", () => {
  it("find a circle, including one closed by a dynamic import", () => {
    const graph: ImportGraph = new Map([
      ["lib/store/a.ts", ["lib/store/b.ts"]],
      ["lib/store/b.ts", ["lib/store/c.ts"]],
      ["lib/store/c.ts", ["lib/store/a.ts"]],
      ["lib/store/d.ts", ["lib/store/a.ts"]],
    ]);
    expect(findCycles(graph)).toEqual([["lib/store/a.ts", "lib/store/b.ts", "lib/store/c.ts", "lib/store/a.ts"]]);
  });

  it("find a climb from the store to the scan layer and from lib to app", () => {
    const graph: ImportGraph = new Map([
      ["lib/store/documents.ts", ["lib/scan/run-scan-documents.ts", "lib/posture/ids.ts"]],
      ["lib/posture/ids.ts", []],
      ["lib/views/page.ts", ["app/_actions/recheck.ts", "lib/store/documents.ts"]],
    ]);
    expect(layerViolations(graph)).toEqual([
      "lib/store/documents.ts → lib/scan/run-scan-documents.ts (store may import only: posture, alerts)",
      "lib/views/page.ts → app/_actions/recheck.ts (lib/ never imports app/)",
    ]);
  });
});
