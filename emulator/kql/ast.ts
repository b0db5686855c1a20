/** The parsed form of the KQL subset the emulator runs. `pos` is the offset in the query text. */

export type Expr =
  | { type: "literal"; value: unknown; pos: number }
  | { type: "column"; name: string; pos: number }
  | { type: "side"; side: "left" | "right"; name: string; pos: number }
  | { type: "member"; target: Expr; name: string; pos: number }
  | { type: "index"; target: Expr; index: Expr; pos: number }
  | { type: "call"; name: string; args: Expr[]; pos: number }
  | { type: "unary"; op: "-" | "not"; operand: Expr; pos: number }
  | { type: "binary"; op: string; left: Expr; right: Expr; pos: number }
  | { type: "in"; op: "in" | "in~" | "!in" | "!in~"; left: Expr; list: Expr[]; pos: number };

export interface Assignment {
  name?: string;
  expr: Expr;
  pos: number;
}

export interface SortKey {
  expr: Expr;
  descending: boolean;
  nullsFirst: boolean;
}

export type Operator =
  | { op: "where"; predicate: Expr; pos: number }
  | { op: "extend"; items: Assignment[]; pos: number }
  | { op: "project"; items: Assignment[]; pos: number }
  | { op: "project-away"; names: string[]; pos: number }
  | { op: "project-rename"; items: { name: string; from: string }[]; pos: number }
  | { op: "mv-expand"; name?: string; expr: Expr; limit?: number; pos: number }
  | { op: "distinct"; names: string[] | "*"; pos: number }
  | { op: "join"; kind: "inner" | "innerunique" | "leftouter"; right: Pipeline; keys: { left: string; right: string }[]; pos: number }
  | { op: "sort"; keys: SortKey[]; pos: number }
  | { op: "take"; count: number; pos: number }
  | { op: "top"; count: number; key: SortKey; pos: number }
  | { op: "count"; pos: number }
  | { op: "summarize"; aggregates: Aggregate[]; by: Assignment[]; pos: number };

/** `name = fn(arg, …)` in a summarize: count(), make_list(expr [, max]) or make_set(expr [, max]). */
export interface Aggregate {
  name?: string;
  fn: string;
  args: Expr[];
  pos: number;
}

export interface Pipeline {
  table: string;
  pos: number;
  operators: Operator[];
}
