/**
 * Tabular operators over arrays of row objects. Source rows are the tenant's documents and are
 * never mutated: operators that change a row copy it first.
 */
import type { Aggregate, Operator, Pipeline, SortKey } from "./ast";
import { compileExpr, type Column, type Row } from "./compile";
import { KqlError } from "./errors";
import { hashKey, isNull, sortCompare, type Value } from "./values";

export interface Table {
  columns: Column[];
  rows: Row[];
}

/** Resolves a table name (already lower-cased) for the pipeline and any join subquery. */
export type TableResolver = (name: string, pos: number) => Table;

/** Resource Graph's default cap on rows produced from one row by mv-expand. */
const MV_EXPAND_DEFAULT_LIMIT = 128;

export function runPipeline(p: Pipeline, resolve: TableResolver): Table {
  let table = resolve(p.table.toLowerCase(), p.pos);
  for (const op of p.operators) table = apply(op, table, resolve);
  return table;
}

function apply(op: Operator, input: Table, resolve: TableResolver): Table {
  const { columns, rows } = input;
  switch (op.op) {
    case "where": {
      const compiled = compileExpr(op.predicate, columns);
      if (compiled.type !== "bool" && compiled.type !== "dynamic") {
        throw new KqlError(`The 'where' predicate must be a boolean, not ${compiled.type}`, op.pos);
      }
      const pred = compiled.fn;
      return { columns, rows: rows.filter((r) => pred(r) === true) };
    }
    case "extend": {
      let cols = columns;
      const steps = op.items.map((item) => {
        const compiled = compileExpr(item.expr, cols);
        cols = withColumn(cols, item.name!, compiled.type);
        return { name: item.name!, fn: compiled.fn };
      });
      return {
        columns: cols,
        rows: rows.map((r) => {
          const out: Row = { ...r };
          for (const s of steps) out[s.name] = s.fn(out) ?? null;
          return out;
        }),
      };
    }
    case "project": {
      const out: Column[] = [];
      const steps = op.items.map((item) => {
        const compiled = compileExpr(item.expr, columns);
        const name = item.name ?? (item.expr as { name: string }).name;
        if (out.some((c) => c.name === name)) throw new KqlError(`Column '${name}' is projected twice`, item.pos);
        out.push({ name, type: compiled.type });
        return { name, fn: compiled.fn };
      });
      return {
        columns: out,
        rows: rows.map((r) => {
          const o: Row = {};
          for (const s of steps) o[s.name] = s.fn(r) ?? null;
          return o;
        }),
      };
    }
    case "project-away": {
      for (const n of op.names) requireColumn(columns, n, op.pos);
      const drop = new Set(op.names);
      const keep = columns.filter((c) => !drop.has(c.name));
      return { columns: keep, rows: rows.map((r) => pick(r, keep)) };
    }
    case "project-rename": {
      const renames = new Map(op.items.map((i) => [requireColumn(columns, i.from, op.pos).name, i.name]));
      const cols = columns.map((c) => ({ ...c, name: renames.get(c.name) ?? c.name }));
      return {
        columns: cols,
        rows: rows.map((r) => {
          const o: Row = {};
          for (const c of columns) o[renames.get(c.name) ?? c.name] = r[c.name] ?? null;
          return o;
        }),
      };
    }
    case "mv-expand":
      return mvExpand(op, input);
    case "distinct": {
      const keep = op.names === "*" ? columns : op.names.map((n) => requireColumn(columns, n, op.pos));
      const seen = new Set<string>();
      const out: Row[] = [];
      for (const r of rows) {
        const key = JSON.stringify(keep.map((c) => r[c.name] ?? null));
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(pick(r, keep));
      }
      return { columns: keep, rows: out };
    }
    case "join":
      return join(op, input, runPipeline(op.right, resolve));
    case "sort":
      return { columns, rows: sortRows(rows, columns, op.keys) };
    case "take":
      return { columns, rows: rows.slice(0, op.count) };
    case "top":
      return { columns, rows: sortRows(rows, columns, [op.key]).slice(0, op.count) };
    case "count":
      return { columns: [{ name: "Count", type: "long" }], rows: [{ Count: rows.length }] };
    case "summarize":
      return summarize(op, input);
  }
}

function requireColumn(columns: readonly Column[], name: string, pos: number): Column {
  const col = columns.find((c) => c.name === name);
  if (!col) throw new KqlError(`Failed to resolve column named '${name}'`, pos);
  return col;
}

function withColumn(columns: Column[], name: string, type: Column["type"]): Column[] {
  const i = columns.findIndex((c) => c.name === name);
  if (i < 0) return [...columns, { name, type }];
  const copy = [...columns];
  copy[i] = { name, type };
  return copy;
}

function pick(r: Row, keep: readonly Column[]): Row {
  const o: Row = {};
  for (const c of keep) o[c.name] = r[c.name] ?? null;
  return o;
}

function mvExpand(op: Extract<Operator, { op: "mv-expand" }>, { columns, rows }: Table): Table {
  const compiled = compileExpr(op.expr, columns);
  const name = op.name ?? (op.expr as { name: string }).name;
  const limit = op.limit ?? MV_EXPAND_DEFAULT_LIMIT;
  const fn = compiled.fn;
  const out: Row[] = [];
  for (const r of rows) {
    const v = fn(r);
    let items: Value[];
    if (Array.isArray(v)) items = v;
    else if (v !== null && typeof v === "object") items = Object.entries(v).map(([k, x]) => ({ [k]: x }));
    else items = [v];
    // An empty array still yields the row, with an empty (null) expanded value.
    if (items.length === 0) items = [null];
    const n = Math.min(items.length, limit);
    for (let i = 0; i < n; i++) out.push({ ...r, [name]: items[i] ?? null });
  }
  return { columns: withColumn(columns, name, "dynamic"), rows: out };
}

/** Kusto's default cap on the items make_list and make_set gather per group. */
const MAKE_LIST_DEFAULT_MAX = 1_048_576;

interface Accumulator {
  add(row: Row): void;
  result(): Value;
}

/** One aggregation of a summarize, compiled: its output column and a factory of per-group accumulators. */
function compileAggregate(a: Aggregate, columns: readonly Column[]): { name: string; type: Column["type"]; start: () => Accumulator } {
  const arity = (min: number, max: number) => {
    if (a.args.length < min || a.args.length > max) throw new KqlError(`${a.fn}() takes ${min === max ? min : `${min} to ${max}`} arguments`, a.pos);
  };
  switch (a.fn) {
    case "count": {
      arity(0, 0);
      return {
        name: a.name ?? "count_",
        type: "long",
        start: () => {
          let n = 0;
          return { add: () => void n++, result: () => n };
        },
      };
    }
    case "make_list":
    case "make_set": {
      arity(1, 2);
      const value = compileExpr(a.args[0], columns).fn;
      let max = MAKE_LIST_DEFAULT_MAX;
      if (a.args.length === 2) {
        const limit = a.args[1];
        if (limit.type !== "literal" || typeof limit.value !== "number" || !Number.isInteger(limit.value) || limit.value < 1)
          throw new KqlError(`${a.fn}() takes a positive whole number as its maximum size`, a.pos);
        max = limit.value;
      }
      // Kusto names `make_list(x)` list_x and `make_set(x)` set_x; a computed argument needs a name here.
      const arg = a.args[0];
      if (!a.name && arg.type !== "column") throw new KqlError(`${a.fn}() of an expression needs a name ('name = ${a.fn}(…)')`, a.pos);
      const name = a.name ?? `${a.fn === "make_list" ? "list" : "set"}_${(arg as { name: string }).name}`;
      const distinct = a.fn === "make_set";
      return {
        name,
        type: "dynamic",
        start: () => {
          const items: Value[] = [];
          const seen = new Set<string>();
          return {
            add: (r) => {
              if (items.length >= max) return;
              const v = value(r);
              if (distinct) {
                const key = hashKey(v);
                if (key === undefined || seen.has(key)) return;
                seen.add(key);
              }
              items.push(v ?? null);
            },
            result: () => items,
          };
        },
      };
    }
    default:
      throw new KqlError(`The aggregation function '${a.fn}' is not supported by the emulator`, a.pos);
  }
}

/** summarize: one row per distinct combination of the `by` values (first-seen order), group columns first. */
function summarize(op: Extract<Operator, { op: "summarize" }>, { columns, rows }: Table): Table {
  const keys = op.by.map((item) => {
    const compiled = compileExpr(item.expr, columns);
    return { name: item.name ?? (item.expr as { name: string }).name, type: compiled.type, fn: compiled.fn };
  });
  const aggregates = op.aggregates.map((a) => compileAggregate(a, columns));
  const names = [...keys.map((k) => k.name), ...aggregates.map((a) => a.name)];
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new KqlError(`Column '${dup}' is produced twice by summarize`, op.pos);
  const groups = new Map<string, { values: Value[]; accumulators: Accumulator[] }>();
  for (const r of rows) {
    const values = keys.map((k) => k.fn(r) ?? null);
    const groupKey = values.map((v) => hashKey(v) ?? "null").join("\u0000");
    let group = groups.get(groupKey);
    if (!group) groups.set(groupKey, (group = { values, accumulators: aggregates.map((a) => a.start()) }));
    for (const acc of group.accumulators) acc.add(r);
  }
  // Without `by`, an empty input still gives one row (count 0, empty lists), as in Kusto.
  if (keys.length === 0 && groups.size === 0) groups.set("", { values: [], accumulators: aggregates.map((a) => a.start()) });
  return {
    columns: [...keys.map((k) => ({ name: k.name, type: k.type })), ...aggregates.map((a) => ({ name: a.name, type: a.type }))],
    rows: [...groups.values()].map((g) => {
      const o: Row = {};
      keys.forEach((k, i) => (o[k.name] = g.values[i]));
      aggregates.forEach((a, i) => (o[a.name] = g.accumulators[i].result()));
      return o;
    }),
  };
}

function join(op: Extract<Operator, { op: "join" }>, left: Table, right: Table): Table {
  const keys = op.keys.map((k) => ({
    left: requireColumn(left.columns, k.left, op.pos).name,
    right: requireColumn(right.columns, k.right, op.pos).name,
  }));
  const keyOf = (r: Row, side: "left" | "right"): string | undefined => {
    let key = "";
    for (const k of keys) {
      const part = hashKey(r[k[side]]);
      if (part === undefined) return undefined; // null keys never match
      key += `${part}\u0000`;
    }
    return key;
  };
  // Right columns keep their names unless the left has them: then name1, name2, … as Kusto does.
  const taken = new Set(left.columns.map((c) => c.name));
  const rightNames = right.columns.map((c) => {
    let name = c.name;
    for (let n = 1; taken.has(name); n++) name = `${c.name}${n}`;
    taken.add(name);
    return name;
  });
  const columns = [...left.columns, ...right.columns.map((c, i) => ({ name: rightNames[i], type: c.type }))];
  const index = new Map<string, Row[]>();
  for (const r of right.rows) {
    const k = keyOf(r, "right");
    if (k === undefined) continue;
    const list = index.get(k);
    if (list) list.push(r);
    else index.set(k, [r]);
  }
  const merge = (l: Row, r: Row | undefined): Row => {
    const o: Row = {};
    for (const c of left.columns) o[c.name] = l[c.name] ?? null;
    // An unmatched right side is empty: "" for string columns (Kusto strings are never null), null otherwise.
    right.columns.forEach((c, i) => {
      o[rightNames[i]] = r ? (r[c.name] ?? null) : c.type === "string" ? "" : null;
    });
    return o;
  };
  const rows: Row[] = [];
  const seenLeft = new Set<string>();
  for (const l of left.rows) {
    const k = keyOf(l, "left");
    if (op.kind === "innerunique") {
      // innerunique (the default) keeps one left row per key.
      if (k === undefined || seenLeft.has(k)) continue;
      seenLeft.add(k);
    }
    const matches = k === undefined ? undefined : index.get(k);
    if (matches) for (const r of matches) rows.push(merge(l, r));
    else if (op.kind === "leftouter") rows.push(merge(l, undefined));
  }
  return { columns, rows };
}

function sortRows(rows: Row[], columns: readonly Column[], keys: SortKey[]): Row[] {
  const fns = keys.map((k) => compileExpr(k.expr, columns).fn);
  const decorated = rows.map((r, i) => ({ r, i, k: fns.map((f) => f(r)) }));
  decorated.sort((a, b) => {
    for (let j = 0; j < keys.length; j++) {
      const x = a.k[j];
      const y = b.k[j];
      const xn = isNull(x);
      const yn = isNull(y);
      if (xn || yn) {
        if (xn && yn) continue;
        return xn === keys[j].nullsFirst ? -1 : 1;
      }
      const c = sortCompare(x, y);
      if (c !== 0) return keys[j].descending ? -c : c;
    }
    return a.i - b.i;
  });
  return decorated.map((d) => d.r);
}
