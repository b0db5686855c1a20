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

/** A snapshot (or Resource Graph export) that cannot be evaluated. */
export class SnapshotInputError extends InputError {
  constructor(path: string, problem: string) {
    super("snapshot", path, problem);
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
