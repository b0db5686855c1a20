/**
 * Errors for malformed input files (snapshots, exception lists). Each names the JSON path of the
 * first problem so a user can find it; the CLI maps them to exit code 2.
 */

export type PathSegment = string | number;

export class InputError extends Error {
  /** JSON path of the problem, e.g. `resources[3].properties.userOwnedStorage`; "" for the whole file. */
  readonly path: string;
  /** What is wrong there, without the path. */
  readonly problem: string;

  constructor(what: string, path: string, problem: string) {
    super(path === "" ? `${what}: ${problem}` : `${path}: ${problem}`);
    this.name = new.target.name;
    this.path = path;
    this.problem = problem;
  }
}

/** One problem of an input file: where, what, and the resource it is in (so a reader need not count array entries). */
export interface InputProblem {
  path: string;
  problem: string;
  /** `name (ARM ID)` of the document the path is in, when it names itself. */
  resource?: string;
}

/** How many problems of one file are listed; the rest are counted. */
export const MAX_LISTED_PROBLEMS = 50;

/** `path (resource): problem`, the path printed once. */
export function problemLine(p: InputProblem): string {
  const where = p.path === "" ? "" : p.resource ? `${p.path} (${p.resource}): ` : `${p.path}: `;
  return `${where}${p.problem}`;
}

/**
 * A snapshot (or Resource Graph export) that cannot be evaluated. `problems` lists every problem
 * found (up to MAX_LISTED_PROBLEMS; `more` counts the rest); `path` and `problem` are the first.
 */
export class SnapshotInputError extends InputError {
  readonly problems: InputProblem[];
  readonly more: number;

  constructor(path: string, problem: string, all?: { problems: InputProblem[]; more: number }) {
    super("snapshot", path, problem);
    this.problems = all?.problems ?? [{ path, problem }];
    this.more = all?.more ?? 0;
    const total = this.problems.length + this.more;
    if (total > 1) {
      const lines = this.problems.map((p) => `  ${problemLine(p)}`);
      if (this.more > 0) lines.push(`  … and ${this.more} more`);
      this.message = `snapshot: ${total} problems found${this.more > 0 ? ` (the first ${this.problems.length} listed)` : ""}:\n${lines.join("\n")}`;
    } else if (this.problems[0]?.resource) this.message = problemLine(this.problems[0]);
  }
}

/** An exceptions file that cannot be applied. */
export class ExceptionsInputError extends InputError {
  constructor(path: string, problem: string) {
    super("exceptions", path, problem);
  }
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `["resources", 3, "properties"]` → `resources[3].properties`; odd keys are quoted. */
export function formatPath(segments: readonly PathSegment[]): string {
  let out = "";
  for (const s of segments) {
    if (typeof s === "number") out += `[${s}]`;
    else if (IDENTIFIER.test(s)) out += out === "" ? s : `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

/** "a string", "an array", "null" … for "expected X, got Y" messages. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  switch (typeof value) {
    case "object":
      return "an object";
    case "string":
      return "a string";
    case "number":
      return "a number";
    case "boolean":
      return "a boolean";
    default:
      return typeof value;
  }
}
