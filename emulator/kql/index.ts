/**
 * Entry point of the KQL subset: parse, check Resource Graph's query limits, run against the
 * tables in scope. Every failure is a `KqlError` whose message names the unsupported part.
 */
import type { Pipeline } from "./ast";
import type { Column, Row } from "./compile";
import { KqlError, lineAndColumn } from "./errors";
import { runPipeline, type Table } from "./operators";
import { parseQuery } from "./parser";

export { KqlError } from "./errors";
export type { Column, Row, KqlType } from "./compile";
export type { Table } from "./operators";

/** The columns every Resource Graph table row carries. */
export const ARG_COLUMNS: readonly Column[] = [
  { name: "id", type: "string" },
  { name: "name", type: "string" },
  { name: "type", type: "string" },
  { name: "tenantId", type: "string" },
  { name: "kind", type: "string" },
  { name: "location", type: "string" },
  { name: "resourceGroup", type: "string" },
  { name: "subscriptionId", type: "string" },
  { name: "managedBy", type: "string" },
  { name: "sku", type: "dynamic" },
  { name: "plan", type: "dynamic" },
  { name: "properties", type: "dynamic" },
  { name: "tags", type: "dynamic" },
  { name: "identity", type: "dynamic" },
  { name: "zones", type: "dynamic" },
  { name: "extendedLocation", type: "dynamic" },
];

export const ARG_TABLES = ["resources", "resourcecontainers", "authorizationresources", "policyresources", "securityresources"] as const;

/** Rows of a table (already limited to the request's scope), by lower-case table name. */
export type RowSource = (table: string) => readonly Row[] | undefined;

const MAX_JOINS = 3;
const MAX_MV_EXPANDS = 3;
/** "mv-expand: RowLimit max of 400. Default is 128." (azure-docs governance/resource-graph/concepts/query-language.md) */
const MAX_MV_EXPAND_LIMIT = 400;
const SAME_FAMILY = new Set(["resources", "resourcecontainers"]);

export interface QueryResult extends Table {
  /** Resource Graph cannot page this result: it uses take/limit, or every column is dynamic. */
  unpageable: boolean;
}

export function runQuery(text: string, rowsOf: RowSource): QueryResult {
  try {
    const pipeline = parseQuery(text);
    checkLimits(pipeline);
    const table = runPipeline(pipeline, (name, pos) => {
      const rows = rowsOf(name);
      if (!rows) throw new KqlError(`Table '${name}' is not supported by the emulator (it serves ${ARG_TABLES.join(", ")})`, pos);
      return { columns: [...ARG_COLUMNS], rows: rows as Row[] };
    });
    const limited = pipeline.operators.some((op) => op.op === "take");
    return { ...table, unpageable: limited || table.columns.every((c) => c.type === "dynamic") };
  } catch (error) {
    if (error instanceof KqlError && error.position !== undefined) {
      const { line, column } = lineAndColumn(text, error.position);
      throw new KqlError(`${error.message} (line ${line}, column ${column})`, error.position);
    }
    throw error;
  }
}

/** Resource Graph's limits (azure-facts §6, §11): ≤ 3 joins, one crossing tables unless all are resources/resourcecontainers; ≤ 3 mv-expand, each limit ≤ 400. */
function checkLimits(p: Pipeline): void {
  let joins = 0;
  let mvExpands = 0;
  const crossings: [string, string][] = [];
  const visit = (q: Pipeline) => {
    for (const op of q.operators) {
      if (op.op === "mv-expand") {
        mvExpands++;
        if (op.limit !== undefined && op.limit > MAX_MV_EXPAND_LIMIT) {
          throw new KqlError(`mv-expand limit ${op.limit} is over Resource Graph's maximum RowLimit of ${MAX_MV_EXPAND_LIMIT}`, op.pos);
        }
      }
      if (op.op === "join") {
        joins++;
        const a = q.table.toLowerCase();
        const b = op.right.table.toLowerCase();
        if (a !== b) crossings.push([a, b]);
        visit(op.right);
      }
    }
  };
  visit(p);
  if (joins > MAX_JOINS) throw new KqlError(`A query may use at most ${MAX_JOINS} join operators; this one uses ${joins}`, p.pos);
  if (mvExpands > MAX_MV_EXPANDS) throw new KqlError(`A query may use at most ${MAX_MV_EXPANDS} mv-expand operators; this one uses ${mvExpands}`, p.pos);
  if (crossings.length > 1 && !crossings.every(([a, b]) => SAME_FAMILY.has(a) && SAME_FAMILY.has(b))) {
    throw new KqlError("A query may join across tables only once (except between resources and resourcecontainers)", p.pos);
  }
}
