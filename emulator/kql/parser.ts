/**
 * Recursive-descent parser for the KQL subset. Anything outside it is rejected here with a
 * message naming the construct, so the server can answer 400 instead of guessing.
 */
import type { Aggregate, Assignment, Expr, Operator, Pipeline, SortKey } from "./ast";
import { KqlError } from "./errors";
import { tokenize, type Token } from "./lexer";

const COMPARISON = new Set([
  "==",
  "!=",
  "<>",
  "<",
  "<=",
  ">",
  ">=",
  "=~",
  "!~",
  "has",
  "!has",
  "has_cs",
  "!has_cs",
  "contains",
  "!contains",
  "contains_cs",
  "!contains_cs",
  "startswith",
  "!startswith",
  "startswith_cs",
  "!startswith_cs",
  "endswith",
  "!endswith",
  "endswith_cs",
  "!endswith_cs",
]);
const IN_OPS = new Set(["in", "in~", "!in", "!in~"]);
const KNOWN_UNSUPPORTED_OPS = new Set([
  "has_any",
  "has_all",
  "!between",
  "between",
  "hasprefix",
  "hassuffix",
  "!hasprefix",
  "!hassuffix",
  "matches",
  "like",
  "!like",
]);

export function parseQuery(text: string): Pipeline {
  const parser = new Parser(tokenize(text));
  const pipeline = parser.pipeline();
  parser.expectEnd();
  return pipeline;
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  private get tok(): Token {
    return this.tokens[this.i];
  }
  private peek(n = 1): Token {
    return this.tokens[Math.min(this.i + n, this.tokens.length - 1)];
  }
  private next(): Token {
    return this.tokens[this.i++];
  }
  private isOp(value: string): boolean {
    return this.tok.kind === "op" && this.tok.value === value;
  }
  private isWord(value: string): boolean {
    return this.tok.kind === "ident" && this.tok.value === value;
  }
  private expectOp(value: string): Token {
    if (!this.isOp(value)) throw this.unexpected(`'${value}'`);
    return this.next();
  }
  private expectWord(value: string): Token {
    if (!this.isWord(value)) throw this.unexpected(`'${value}'`);
    return this.next();
  }
  private ident(what = "a name"): string {
    if (this.tok.kind !== "ident") throw this.unexpected(what);
    return this.next().value;
  }
  private unexpected(expected: string): KqlError {
    const t = this.tok;
    const found = t.kind === "eof" ? "end of query" : `'${t.value}'`;
    return new KqlError(`Expected ${expected} but found ${found}`, t.pos);
  }

  expectEnd(): void {
    if (this.isOp(";")) throw new KqlError("Multiple statements (';') are not supported by the emulator", this.tok.pos);
    if (this.tok.kind !== "eof") throw this.unexpected("'|' or end of query");
  }

  pipeline(): Pipeline {
    const t = this.tok;
    if (t.kind !== "ident") throw this.unexpected("a table name");
    if (t.value === "let") throw new KqlError("'let' statements are not supported by the emulator", t.pos);
    if (["union", "print", "datatable", "range", "evaluate", "search", "find"].includes(t.value)) {
      throw new KqlError(`'${t.value}' is not supported by the emulator`, t.pos);
    }
    this.next();
    const operators: Operator[] = [];
    while (this.isOp("|")) {
      this.next();
      operators.push(this.operator());
    }
    return { table: t.value, pos: t.pos, operators };
  }

  private operator(): Operator {
    const t = this.tok;
    if (t.kind !== "ident") throw this.unexpected("a query operator");
    const pos = t.pos;
    this.next();
    switch (t.value) {
      case "where":
      case "filter":
        return { op: "where", predicate: this.expr(), pos };
      case "extend":
        return { op: "extend", items: this.assignments(true), pos };
      case "project":
        return { op: "project", items: this.assignments(false), pos };
      case "project-away":
        return { op: "project-away", names: this.names(), pos };
      case "project-rename": {
        const items: { name: string; from: string }[] = [];
        do {
          const name = this.ident("a column name");
          this.expectOp("=");
          items.push({ name, from: this.ident("a column name") });
        } while (this.isOp(",") && this.next());
        return { op: "project-rename", items, pos };
      }
      case "mv-expand":
        return this.mvExpand(pos);
      case "distinct":
        if (this.isOp("*")) {
          this.next();
          return { op: "distinct", names: "*", pos };
        }
        return { op: "distinct", names: this.names(), pos };
      case "join":
        return this.join(pos);
      case "order":
      case "sort":
        this.expectWord("by");
        return { op: "sort", keys: this.sortKeys(), pos };
      case "take":
      case "limit":
        return { op: "take", count: this.count(), pos };
      case "top": {
        const count = this.count();
        this.expectWord("by");
        const keys = this.sortKeys();
        if (keys.length !== 1) throw new KqlError("'top' with more than one sort key is not supported by the emulator", pos);
        return { op: "top", count, key: keys[0], pos };
      }
      case "count":
        return { op: "count", pos };
      case "summarize":
        return this.summarize(pos);
      default:
        throw new KqlError(`The operator '${t.value}' is not supported by the emulator`, pos);
    }
  }

  private count(): number {
    const t = this.tok;
    if (t.kind !== "number" || !/^\d+$/.test(t.value)) throw this.unexpected("a row count");
    this.next();
    return Number(t.value);
  }

  private names(): string[] {
    const names = [this.ident("a column name")];
    while (this.isOp(",")) {
      this.next();
      names.push(this.ident("a column name"));
    }
    return names;
  }

  private assignments(requireName: boolean): Assignment[] {
    const items: Assignment[] = [];
    do {
      const pos = this.tok.pos;
      if (this.tok.kind === "ident" && this.peek().kind === "op" && this.peek().value === "=") {
        const name = this.next().value;
        this.next();
        items.push({ name, expr: this.expr(), pos });
      } else {
        const expr = this.expr();
        if (requireName || expr.type !== "column") {
          throw new KqlError("Computed columns need a name ('name = expression') in the emulator", pos);
        }
        items.push({ expr, pos });
      }
    } while (this.isOp(",") && this.next());
    return items;
  }

  private summarize(pos: number): Operator {
    const aggregates: Aggregate[] = [];
    do {
      const at = this.tok.pos;
      let name: string | undefined;
      if (this.tok.kind === "ident" && this.peek().kind === "op" && this.peek().value === "=") {
        name = this.next().value;
        this.next();
      }
      const expr = this.expr();
      if (expr.type !== "call") throw new KqlError("summarize needs an aggregation function such as count() or make_list()", at);
      aggregates.push({ name, fn: expr.name, args: expr.args, pos: at });
    } while (this.isOp(",") && this.next());
    let by: Assignment[] = [];
    if (this.isWord("by")) {
      this.next();
      by = this.assignments(false);
    }
    return { op: "summarize", aggregates, by, pos };
  }

  private mvExpand(pos: number): Operator {
    if (this.isWord("kind")) {
      this.next();
      this.expectOp("=");
      const kind = this.ident("array or bag");
      if (kind !== "array") throw new KqlError(`mv-expand kind=${kind} is not supported by the emulator`, pos);
    }
    if (this.isWord("with_itemindex")) throw new KqlError("mv-expand with_itemindex is not supported by the emulator", this.tok.pos);
    let name: string | undefined;
    if (this.tok.kind === "ident" && this.peek().kind === "op" && this.peek().value === "=") {
      name = this.next().value;
      this.next();
    }
    const expr = this.expr();
    if (!name && expr.type !== "column") throw new KqlError("mv-expand of an expression needs a name ('name = expression')", pos);
    if (this.isWord("to")) throw new KqlError("mv-expand 'to typeof()' is not supported by the emulator", this.tok.pos);
    if (this.isOp(",")) throw new KqlError("mv-expand of several columns at once is not supported by the emulator", this.tok.pos);
    let limit: number | undefined;
    if (this.isWord("limit")) {
      this.next();
      limit = this.count();
    }
    return { op: "mv-expand", name, expr, limit, pos };
  }

  private join(pos: number): Operator {
    let kind: "inner" | "innerunique" | "leftouter" = "innerunique";
    while (this.tok.kind === "ident" && this.tok.value !== "on") {
      const param = this.next();
      if (param.value !== "kind") throw new KqlError(`join parameter '${param.value}' is not supported by the emulator`, param.pos);
      this.expectOp("=");
      const k = this.ident("a join kind");
      if (k !== "inner" && k !== "innerunique" && k !== "leftouter") {
        throw new KqlError(`join kind=${k} is not supported (Resource Graph allows inner, innerunique and leftouter)`, param.pos);
      }
      kind = k;
    }
    this.expectOp("(");
    const right = this.pipeline();
    this.expectOp(")");
    this.expectWord("on");
    const keys: { left: string; right: string }[] = [];
    do {
      if (this.isWord("$left") || this.isWord("$right")) {
        const a = this.sideRef();
        this.expectOp("==");
        const b = this.sideRef();
        if (a.side === b.side) throw new KqlError("join condition must compare $left with $right", pos);
        keys.push(a.side === "left" ? { left: a.name, right: b.name } : { left: b.name, right: a.name });
      } else {
        const name = this.ident("a join key column");
        keys.push({ left: name, right: name });
      }
    } while (this.isOp(",") && this.next());
    return { op: "join", kind, right, keys, pos };
  }

  private sideRef(): { side: "left" | "right"; name: string } {
    const side = this.next().value === "$left" ? "left" : "right";
    this.expectOp(".");
    return { side, name: this.ident("a column name") };
  }

  private sortKeys(): SortKey[] {
    const keys: SortKey[] = [];
    do {
      const expr = this.expr();
      let descending = true; // KQL sorts descending unless told otherwise
      if (this.isWord("asc") || this.isWord("desc")) descending = this.next().value === "desc";
      let nullsFirst = !descending;
      if (this.isWord("nulls")) {
        this.next();
        const which = this.ident("first or last");
        if (which !== "first" && which !== "last") throw this.unexpected("first or last");
        nullsFirst = which === "first";
      }
      keys.push({ expr, descending, nullsFirst });
    } while (this.isOp(",") && this.next());
    return keys;
  }

  // ---- expressions ----

  expr(): Expr {
    return this.or();
  }

  private or(): Expr {
    let left = this.and();
    while (this.isWord("or")) {
      const pos = this.next().pos;
      left = { type: "binary", op: "or", left, right: this.and(), pos };
    }
    return left;
  }

  private and(): Expr {
    let left = this.comparison();
    while (this.isWord("and")) {
      const pos = this.next().pos;
      left = { type: "binary", op: "and", left, right: this.comparison(), pos };
    }
    return left;
  }

  private comparison(): Expr {
    const left = this.additive();
    const t = this.tok;
    if ((t.kind === "op" || t.kind === "ident") && IN_OPS.has(t.value)) {
      this.next();
      this.expectOp("(");
      const list: Expr[] = [];
      if (!this.isOp(")")) {
        if (this.tok.kind === "ident" && this.peek().kind === "op" && this.peek().value === "|") {
          throw new KqlError(`'${t.value}' with a subquery is not supported by the emulator`, this.tok.pos);
        }
        do list.push(this.additive());
        while (this.isOp(",") && this.next());
      }
      this.expectOp(")");
      return { type: "in", op: t.value as "in", left, list, pos: t.pos };
    }
    if ((t.kind === "op" || t.kind === "ident") && COMPARISON.has(t.value)) {
      this.next();
      return { type: "binary", op: t.value === "<>" ? "!=" : t.value, left, right: this.additive(), pos: t.pos };
    }
    if ((t.kind === "op" || t.kind === "ident") && KNOWN_UNSUPPORTED_OPS.has(t.value)) {
      throw new KqlError(`The operator '${t.value}' is not supported by the emulator`, t.pos);
    }
    return left;
  }

  private additive(): Expr {
    let left = this.multiplicative();
    while (this.isOp("+") || this.isOp("-")) {
      const t = this.next();
      left = { type: "binary", op: t.value, left, right: this.multiplicative(), pos: t.pos };
    }
    return left;
  }

  private multiplicative(): Expr {
    let left = this.unary();
    while (this.isOp("*") || this.isOp("/") || this.isOp("%")) {
      const t = this.next();
      left = { type: "binary", op: t.value, left, right: this.unary(), pos: t.pos };
    }
    return left;
  }

  private unary(): Expr {
    if (this.isOp("-")) {
      const pos = this.next().pos;
      return { type: "unary", op: "-", operand: this.unary(), pos };
    }
    return this.postfix();
  }

  private postfix(): Expr {
    let expr = this.primary();
    for (;;) {
      if (this.isOp(".")) {
        const pos = this.next().pos;
        const t = this.tok;
        if (t.kind !== "ident") throw this.unexpected("a property name");
        this.next();
        expr = { type: "member", target: expr, name: t.value, pos };
      } else if (this.isOp("[")) {
        const pos = this.next().pos;
        const index = this.expr();
        this.expectOp("]");
        expr = { type: "index", target: expr, index, pos };
      } else {
        return expr;
      }
    }
  }

  private primary(): Expr {
    const t = this.tok;
    if (t.kind === "string") {
      this.next();
      return { type: "literal", value: t.value, pos: t.pos };
    }
    if (t.kind === "number") {
      this.next();
      return { type: "literal", value: Number(t.value), pos: t.pos };
    }
    if (this.isOp("(")) {
      this.next();
      const inner = this.expr();
      this.expectOp(")");
      return inner;
    }
    if (t.kind === "ident") {
      if (t.value === "true" || t.value === "false") {
        this.next();
        return { type: "literal", value: t.value === "true", pos: t.pos };
      }
      if (t.value === "$left" || t.value === "$right") {
        throw new KqlError(`'${t.value}' can only be used in a join condition`, t.pos);
      }
      this.next();
      if (this.isOp("(")) {
        this.next();
        if (t.value === "dynamic") return this.dynamicLiteral(t.pos);
        const args: Expr[] = [];
        if (!this.isOp(")")) {
          do args.push(this.expr());
          while (this.isOp(",") && this.next());
        }
        this.expectOp(")");
        return { type: "call", name: t.value, args, pos: t.pos };
      }
      return { type: "column", name: t.value, pos: t.pos };
    }
    throw this.unexpected("an expression");
  }

  /** `dynamic(null)`, `dynamic([...])` of literals, `dynamic({...})` of literals. */
  private dynamicLiteral(pos: number): Expr {
    const value = this.jsonValue();
    this.expectOp(")");
    return { type: "literal", value, pos };
  }

  private jsonValue(): unknown {
    const t = this.tok;
    if (t.kind === "string") return this.next().value;
    if (t.kind === "number") return Number(this.next().value);
    if (this.isOp("-") && this.peek().kind === "number") {
      this.next();
      return -Number(this.next().value);
    }
    if (t.kind === "ident" && (t.value === "null" || t.value === "true" || t.value === "false")) {
      this.next();
      return t.value === "null" ? null : t.value === "true";
    }
    if (this.isOp("[")) {
      this.next();
      const out: unknown[] = [];
      if (!this.isOp("]")) {
        do out.push(this.jsonValue());
        while (this.isOp(",") && this.next());
      }
      this.expectOp("]");
      return out;
    }
    if (this.isOp("{")) {
      this.next();
      const out: Record<string, unknown> = {};
      if (!this.isOp("}")) {
        do {
          const key = this.tok;
          if (key.kind !== "string" && key.kind !== "ident") throw this.unexpected("a property name");
          this.next();
          this.expectOp(":");
          out[key.value] = this.jsonValue();
        } while (this.isOp(",") && this.next());
      }
      this.expectOp("}");
      return out;
    }
    throw this.unexpected("a dynamic literal");
  }
}
