/**
 * A small declarative validator for the parts of Azure documents the controls read. It checks
 * types only where a shape names a field and ignores everything else, so new Azure properties
 * never break parsing. Recursion follows the shape (a few levels), never the data, and nothing is
 * allocated until a problem is found.
 */
import { describe, type PathSegment } from "./input-error";

export type Shape =
  | { readonly kind: "string" }
  | { readonly kind: "boolean" }
  | { readonly kind: "object"; readonly fields: Readonly<Record<string, Shape>> }
  | { readonly kind: "array"; readonly of: Shape }
  | { readonly kind: "record"; readonly of: Shape };

export const str: Shape = { kind: "string" };
export const bool: Shape = { kind: "boolean" };
export const object = (fields: Record<string, Shape>): Shape => ({ kind: "object", fields });
/** An array whose elements must match `of` (elements may not be null). */
export const array = (of: Shape): Shape => ({ kind: "array", of });
/** An object used as a map: every own value must match `of`. */
export const record = (of: Shape): Shape => ({ kind: "record", of });

export interface ShapeProblem {
  /** Path below the value checked, outermost first. */
  segments: PathSegment[];
  problem: string;
}

const EXPECTED: Record<Shape["kind"], string> = {
  string: "a string",
  boolean: "true, false or null",
  object: "an object",
  array: "an array",
  record: "an object",
};

/** Checks a field's value: null and absent are always allowed (Azure omits or nulls defaults). */
export function checkOptional(value: unknown, shape: Shape): ShapeProblem | null {
  return value === undefined || value === null ? null : check(value, shape);
}

/** Checks a value that must be present and non-null. */
export function check(value: unknown, shape: Shape): ShapeProblem | null {
  switch (shape.kind) {
    case "string":
      return typeof value === "string" ? null : mismatch(value, shape);
    case "boolean":
      return typeof value === "boolean" ? null : mismatch(value, shape);
    case "object": {
      if (!isPlainObject(value)) return mismatch(value, shape);
      for (const name in shape.fields) {
        if (!Object.hasOwn(value, name)) continue;
        const problem = checkOptional(value[name], shape.fields[name]);
        if (problem) return within(name, problem);
      }
      return null;
    }
    case "array": {
      if (!Array.isArray(value)) return mismatch(value, shape);
      for (let i = 0; i < value.length; i++) {
        const problem = check(value[i], shape.of);
        if (problem) return within(i, problem);
      }
      return null;
    }
    case "record": {
      if (!isPlainObject(value)) return mismatch(value, shape);
      for (const name of Object.keys(value)) {
        const problem = check(value[name], shape.of);
        if (problem) return within(name, problem);
      }
      return null;
    }
  }
}

/**
 * Every problem of a value that must be present and non-null (where `check` stops at the first),
 * at most `max`: a document with several mistyped fields gets them all reported at once.
 */
export function checkAll(value: unknown, shape: Shape, max = 50): ShapeProblem[] {
  const out: ShapeProblem[] = [];
  walk(value, shape, [], out, max);
  return out;
}

function walk(value: unknown, shape: Shape, at: PathSegment[], out: ShapeProblem[], max: number): void {
  if (out.length >= max) return;
  switch (shape.kind) {
    case "string":
    case "boolean":
      if (typeof value !== shape.kind) out.push({ segments: [...at], problem: mismatch(value, shape).problem });
      return;
    case "object":
      if (!isPlainObject(value)) return void out.push({ segments: [...at], problem: mismatch(value, shape).problem });
      for (const name in shape.fields) {
        const field = value[name];
        if (Object.hasOwn(value, name) && field !== undefined && field !== null) walk(field, shape.fields[name], [...at, name], out, max);
      }
      return;
    case "array":
      if (!Array.isArray(value)) return void out.push({ segments: [...at], problem: mismatch(value, shape).problem });
      for (let i = 0; i < value.length; i++) walk(value[i], shape.of, [...at, i], out, max);
      return;
    case "record":
      if (!isPlainObject(value)) return void out.push({ segments: [...at], problem: mismatch(value, shape).problem });
      for (const name of Object.keys(value)) walk(value[name], shape.of, [...at, name], out, max);
      return;
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function mismatch(value: unknown, shape: Shape): ShapeProblem {
  return { segments: [], problem: `expected ${EXPECTED[shape.kind]}, got ${describe(value)}` };
}

function within(segment: PathSegment, problem: ShapeProblem): ShapeProblem {
  problem.segments.unshift(segment);
  return problem;
}
