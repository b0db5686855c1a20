/**
 * Expressions compiled once per query into closures over a row, after resolving every column
 * against the schema flowing through the pipeline (an unknown name is a 400, as in Kusto).
 */
import type { Expr } from "./ast";
import { KqlError } from "./errors";
import { FUNCTIONS, type KqlType } from "./functions";
import { compare, equals, hasTerm, hashKey, isNull, toStr, type Value } from "./values";

export type { KqlType } from "./functions";
export type Row = Record<string, unknown>;
export interface Column {
  name: string;
  type: KqlType;
}
export interface Compiled {
  fn: (row: Row) => Value;
  type: KqlType;
  constant: boolean;
}

const STRING_OPS: Record<string, (hay: string, needle: string) => boolean> = {
  has: (h, n) => hasTerm(h.toLowerCase(), n.toLowerCase()),
  has_cs: (h, n) => hasTerm(h, n),
  contains: (h, n) => h.toLowerCase().includes(n.toLowerCase()),
  contains_cs: (h, n) => h.includes(n),
  startswith: (h, n) => h.toLowerCase().startsWith(n.toLowerCase()),
  startswith_cs: (h, n) => h.startsWith(n),
  endswith: (h, n) => h.toLowerCase().endsWith(n.toLowerCase()),
  endswith_cs: (h, n) => h.endsWith(n),
};

export function compileExpr(expr: Expr, schema: readonly Column[]): Compiled {
  switch (expr.type) {
    case "literal": {
      const value = expr.value;
      const type: KqlType =
        typeof value === "string"
          ? "string"
          : typeof value === "boolean"
            ? "bool"
            : typeof value === "number"
              ? Number.isInteger(value)
                ? "long"
                : "real"
              : "dynamic";
      return { fn: () => value, type, constant: true };
    }
    case "column": {
      const col = schema.find((c) => c.name === expr.name);
      if (!col) throw new KqlError(`Failed to resolve scalar expression named '${expr.name}'`, expr.pos);
      const name = col.name;
      // A string column never holds null in Kusto: a missing value reads as "".
      if (col.type === "string") return { fn: (r) => r[name] ?? "", type: "string", constant: false };
      return { fn: (r) => r[name] ?? null, type: col.type, constant: false };
    }
    case "side":
      throw new KqlError(`'$${expr.side}' can only be used in a join condition`, expr.pos);
    case "member": {
      const target = compileExpr(expr.target, schema);
      requireDynamic(target, expr.pos, `.${expr.name}`);
      const name = expr.name;
      const t = target.fn;
      return { fn: (r) => member(t(r), name), type: "dynamic", constant: false };
    }
    case "index": {
      const target = compileExpr(expr.target, schema);
      requireDynamic(target, expr.pos, "[…]");
      const index = compileExpr(expr.index, schema);
      const t = target.fn;
      const i = index.fn;
      return {
        fn: (r) => {
          const v = t(r);
          const k = i(r);
          if (Array.isArray(v) && typeof k === "number") return v[k < 0 ? v.length + k : k] ?? null;
          if (typeof k === "string") return member(v, k);
          return null;
        },
        type: "dynamic",
        constant: false,
      };
    }
    case "call":
      return compileCall(expr, schema);
    case "unary": {
      const operand = compileExpr(expr.operand, schema);
      const f = operand.fn;
      return {
        fn: (r) => {
          const v = f(r);
          return typeof v === "number" ? -v : null;
        },
        type: operand.type,
        constant: operand.constant,
      };
    }
    case "in":
      return compileIn(expr, schema);
    case "binary":
      return compileBinary(expr, schema);
  }
}

function requireDynamic(target: Compiled, pos: number, what: string): void {
  if (target.type !== "dynamic") {
    throw new KqlError(`Property access '${what}' needs a dynamic value, not ${target.type}`, pos);
  }
}

function member(v: Value, name: string): Value {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return null;
  return (v as Record<string, unknown>)[name] ?? null;
}

function compileCall(expr: Extract<Expr, { type: "call" }>, schema: readonly Column[]): Compiled {
  const spec = FUNCTIONS[expr.name];
  if (!spec) throw new KqlError(`Function '${expr.name}' is not supported by the emulator`, expr.pos);
  if (expr.args.length < spec.min || expr.args.length > spec.max) {
    throw new KqlError(`Function '${expr.name}' takes ${spec.min === spec.max ? spec.min : `${spec.min}–${spec.max}`} argument(s)`, expr.pos);
  }
  const args = expr.args.map((a) => compileExpr(a, schema));
  const type = typeof spec.type === "function" ? spec.type(args.map((a) => a.type)) : spec.type;
  const impl = spec.impl;
  const fns = args.map((a) => a.fn);
  const constant = args.every((a) => a.constant);
  if (fns.length === 1) {
    const f = fns[0];
    return { fn: (r) => impl(f(r)), type, constant };
  }
  return { fn: (r) => impl(...fns.map((f) => f(r))), type, constant };
}

function compileIn(expr: Extract<Expr, { type: "in" }>, schema: readonly Column[]): Compiled {
  const left = compileExpr(expr.left, schema).fn;
  const items = expr.list.map((e) => compileExpr(e, schema));
  const caseless = expr.op.endsWith("~");
  const negate = expr.op.startsWith("!");
  let test: (v: Value, r: Row) => boolean;
  if (items.every((i) => i.constant)) {
    // A dynamic array in the list stands for its elements: `x in (dynamic(['a', 'b']))`.
    const values = items.flatMap((i) => {
      const v = i.fn({});
      return Array.isArray(v) ? v : [v];
    });
    if (caseless) {
      const set = new Set(values.map((v) => toStr(v).toLowerCase()));
      test = (v) => set.has(toStr(v).toLowerCase());
    } else if (values.every((v) => typeof v === "string")) {
      const set = new Set(values as string[]);
      test = (v) => set.has(toStr(v));
    } else {
      const set = new Set(values.map(hashKey));
      test = (v) => set.has(hashKey(v));
    }
  } else {
    const fns = items.map((i) => i.fn);
    const values = (r: Row) =>
      fns.flatMap((f) => {
        const x = f(r);
        return Array.isArray(x) ? x : [x];
      });
    test = caseless
      ? (v, r) => values(r).some((x) => toStr(x).toLowerCase() === toStr(v).toLowerCase())
      : (v, r) => values(r).some((x) => equals(v, x) === true);
  }
  return {
    fn: (r) => {
      const v = left(r);
      if (isNull(v)) return null;
      const found = test(v, r);
      return negate ? !found : found;
    },
    type: "bool",
    constant: false,
  };
}

function compileBinary(expr: Extract<Expr, { type: "binary" }>, schema: readonly Column[]): Compiled {
  const l = compileExpr(expr.left, schema);
  const r = compileExpr(expr.right, schema);
  const lf = l.fn;
  const rf = r.fn;
  const op = expr.op;
  const bool = (fn: (row: Row) => Value): Compiled => ({ fn, type: "bool", constant: false });
  switch (op) {
    case "and":
      return bool((row) => {
        const a = lf(row);
        if (a === false) return false;
        const b = rf(row);
        if (b === false) return false;
        return a === true && b === true ? true : null;
      });
    case "or":
      return bool((row) => {
        const a = lf(row);
        if (a === true) return true;
        const b = rf(row);
        if (b === true) return true;
        return a === false && b === false ? false : null;
      });
    case "==":
      return bool((row) => equals(lf(row), rf(row)));
    case "!=":
      return bool((row) => {
        const e = equals(lf(row), rf(row));
        return e === null ? null : !e;
      });
    case "<":
    case "<=":
    case ">":
    case ">=":
      return bool((row) => {
        const c = compare(lf(row), rf(row));
        if (c === null) return null;
        return op === "<" ? c < 0 : op === "<=" ? c <= 0 : op === ">" ? c > 0 : c >= 0;
      });
    case "=~":
    case "!~": {
      const negate = op === "!~";
      if (r.constant) {
        const needle = toStr(rf({})).toLowerCase();
        return bool((row) => {
          const a = lf(row);
          if (isNull(a)) return null;
          return (toStr(a).toLowerCase() === needle) !== negate;
        });
      }
      return bool((row) => {
        const a = lf(row);
        const b = rf(row);
        if (isNull(a) || isNull(b)) return null;
        return (toStr(a).toLowerCase() === toStr(b).toLowerCase()) !== negate;
      });
    }
    case "+":
    case "-":
    case "*":
    case "/":
    case "%": {
      if (l.type === "string" || r.type === "string") {
        throw new KqlError(`Operator '${op}' cannot be applied to strings (use strcat)`, expr.pos);
      }
      const type: KqlType = l.type === "real" || r.type === "real" || op === "/" ? "real" : l.type === "long" && r.type === "long" ? "long" : "dynamic";
      return {
        fn: (row) => {
          const a = lf(row);
          const b = rf(row);
          if (typeof a !== "number" || typeof b !== "number") return null;
          switch (op) {
            case "+":
              return a + b;
            case "-":
              return a - b;
            case "*":
              return a * b;
            case "/":
              return b === 0 ? null : a / b;
            default:
              return b === 0 ? null : a % b;
          }
        },
        type,
        constant: l.constant && r.constant,
      };
    }
  }
  const negate = op.startsWith("!");
  const base = STRING_OPS[negate ? op.slice(1) : op];
  if (!base) throw new KqlError(`The operator '${op}' is not supported by the emulator`, expr.pos);
  return bool((row) => {
    const found = base(toStr(lf(row)), toStr(rf(row)));
    return negate ? !found : found;
  });
}
