/**
 * Microsoft's REST specifications (the vendored subsets under fixtures/specs, see SOURCES.md) as
 * something tests can ask: which operation does this request match (method, path template,
 * api-version, declared query parameters, path parameters' rules, request body schema), and does
 * this response validate against that operation's schema (ajv).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv, { type ValidateFunction } from "ajv";

const SPECS_DIR = fileURLToPath(new URL("./fixtures/specs", import.meta.url));

type Json = Record<string, unknown>;

interface Parameter {
  name: string;
  in: "path" | "query" | "body" | "header";
  required?: boolean;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  enum?: string[];
  schema?: Json;
  "x-ms-skip-url-encoding"?: boolean;
}

export interface Operation {
  /** `cognitiveservices/2025-12-01` */
  spec: string;
  operationId: string;
  method: string;
  /** The full path template, with the parameterized host's path (Speech: `/speechtotext`) in front. */
  template: string;
  apiVersion: string;
  parameters: Parameter[];
  responses: Record<string, { schema?: Json }>;
  examples: string[];
  matcher: RegExp;
  pathParams: string[];
}

export interface RecordedRequest {
  method: string;
  /** The request path as the service sees it (the emulator's `/speech/{subdomain}` prefix removed). */
  path: string;
  query: URLSearchParams;
  body?: string;
}

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, validateSchema: false });
const documents = new Map<string, Json>();
export const operations: Operation[] = loadOperations();

function loadOperations(): Operation[] {
  const out: Operation[] = [];
  for (const service of readdirSync(SPECS_DIR, { withFileTypes: true })) {
    if (!service.isDirectory()) continue;
    for (const version of readdirSync(join(SPECS_DIR, service.name))) {
      const spec = `${service.name}/${version}`;
      const doc = JSON.parse(readFileSync(join(SPECS_DIR, spec, "operations.json"), "utf8")) as Json;
      const id = `spec:${spec}`;
      documents.set(spec, doc);
      ajv.addSchema(toJsonSchema(doc) as object, id);
      const hostPath = hostPathOf(doc);
      for (const [path, item] of Object.entries((doc.paths ?? {}) as Record<string, Json>)) {
        const shared = ((item.parameters ?? []) as Json[]).map((p) => resolve(doc, p));
        for (const [method, raw] of Object.entries(item)) {
          if (method === "parameters") continue;
          const op = raw as Json;
          const parameters = [...shared, ...((op.parameters ?? []) as Json[]).map((p) => resolve(doc, p))] as unknown as Parameter[];
          const template = `${hostPath}${path}`;
          const { matcher, pathParams } = compileTemplate(template, parameters);
          out.push({
            spec,
            operationId: String(op.operationId),
            method: method.toUpperCase(),
            template,
            apiVersion: String((doc.info as Json).version),
            parameters,
            responses: op.responses as Operation["responses"],
            examples: Object.values((op["x-ms-examples"] ?? {}) as Record<string, { "x-example-file": string }>).map((e) => e["x-example-file"]),
            matcher,
            pathParams,
          });
        }
      }
    }
  }
  return out;
}

/** `{endpoint}/speechtotext` → `/speechtotext`: the path part of a parameterized host. */
function hostPathOf(doc: Json): string {
  const host = (doc["x-ms-parameterized-host"] as { hostTemplate?: string } | undefined)?.hostTemplate;
  return host ? host.replace(/^\{[^}]+\}/, "") : String(doc.basePath ?? "").replace(/\/$/, "");
}

function resolve(doc: Json, p: Json): Json {
  const ref = p.$ref;
  if (typeof ref !== "string") return p;
  const name = ref.replace(/^#\/parameters\//, "");
  const target = (doc.parameters as Record<string, Json> | undefined)?.[name];
  if (!target) throw new Error(`Unresolved parameter ${ref}`);
  return target;
}

/** One segment per `{param}`, or several for a parameter the spec does not URL-encode (`{resourceUri}`). */
function compileTemplate(template: string, parameters: Parameter[]): { matcher: RegExp; pathParams: string[] } {
  const pathParams: string[] = [];
  const source = template
    .split(/(\{[^}]+\})/)
    .map((part) => {
      const m = /^\{([^}]+)\}$/.exec(part);
      if (!m) return part.replace(/[.*+?^$()|[\]\\]/g, "\\$&");
      pathParams.push(m[1]);
      const multi = parameters.find((p) => p.name === m[1] && p.in === "path")?.["x-ms-skip-url-encoding"];
      return multi ? "([^/]+(?:/[^/]+)*)" : "([^/]+)";
    })
    .join("");
  // ARM compares paths case-insensitively; an empty segment (`//`) never matches.
  return { matcher: new RegExp(`^${source}$`, "i"), pathParams };
}

/**
 * Swagger 2.0 schemas as JSON Schema: `$ref`s point into the registered document, and a bare
 * `type: object` (autorest's "any", as Resource Graph's `data`) accepts any JSON value.
 */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!node || typeof node !== "object") return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) out[k] = toJsonSchema(v);
  if (out.type === "object" && !out.properties && !out.additionalProperties && !out.allOf) delete out.type;
  if (out["x-nullable"] === true && typeof out.type === "string") out.type = [out.type, "null"];
  // `x-ms-enum.modelAsString: true` is an extensible enum: the service may send values the list does not name
  // (Cognitive Services' `SecuredByPerimeter`, Storage's "case-insensitive" `Microsoft.KeyVault`).
  if (Array.isArray(out.enum) && (out["x-ms-enum"] as Json | undefined)?.modelAsString === true) delete out.enum;
  return out;
}

export interface Match {
  operation: Operation;
  problems: string[];
}

/** The operation a request matches by method and path, with everything about it the spec refuses. */
export function matchRequest(req: RecordedRequest): Match | undefined {
  const candidates = operations.filter((o) => o.method === req.method.toUpperCase() && o.matcher.test(req.path));
  // The most specific template wins (a literal segment beats a parameter).
  candidates.sort((a, b) => b.template.replace(/\{[^}]+\}/g, "").length - a.template.replace(/\{[^}]+\}/g, "").length);
  const operation = candidates[0];
  if (!operation) return undefined;
  const problems: string[] = [];
  const version = req.query.get("api-version");
  if (version !== operation.apiVersion) problems.push(`api-version ${version ?? "(none)"} is not ${operation.apiVersion}`);
  const declared = new Set(operation.parameters.filter((p) => p.in === "query").map((p) => p.name));
  for (const key of new Set(req.query.keys())) if (!declared.has(key)) problems.push(`query parameter '${key}' is not declared`);
  const values = operation.matcher.exec(req.path)!.slice(1);
  operation.pathParams.forEach((name, i) => {
    const p = operation.parameters.find((x) => x.name === name && x.in === "path");
    const value = decodeURIComponent(values[i]);
    if (!p) problems.push(`path parameter '${name}' is not declared`);
    else {
      if (p.pattern && !new RegExp(p.pattern).test(value)) problems.push(`${name} '${value}' does not match ${p.pattern}`);
      if (p.minLength !== undefined && value.length < p.minLength) problems.push(`${name} '${value}' is shorter than ${p.minLength}`);
      if (p.maxLength !== undefined && value.length > p.maxLength) problems.push(`${name} '${value}' is longer than ${p.maxLength}`);
    }
  });
  const bodyParam = operation.parameters.find((p) => p.in === "body");
  if (bodyParam?.schema) {
    const validate = validator(operation, bodyParam.schema);
    let body: unknown;
    try {
      body = req.body ? JSON.parse(req.body) : undefined;
    } catch {
      problems.push("the body is not JSON");
    }
    if (body !== undefined && !validate(body)) problems.push(`body: ${ajv.errorsText(validate.errors)}`);
    if (body === undefined && bodyParam.required) problems.push("the required body is missing");
  }
  return { operation, problems };
}

const validators = new Map<Json, ValidateFunction>();

function validator(operation: Operation, schema: Json): ValidateFunction {
  let v = validators.get(schema);
  if (!v) {
    v = ajv.compile(withRefsInto(`spec:${operation.spec}`, toJsonSchema(schema)) as object);
    validators.set(schema, v);
  }
  return v;
}

function withRefsInto(id: string, node: unknown): unknown {
  if (Array.isArray(node)) return node.map((n) => withRefsInto(id, n));
  if (!node || typeof node !== "object") return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) out[k] = k === "$ref" && typeof v === "string" && v.startsWith("#") ? `${id}${v}` : withRefsInto(id, v);
  return out;
}

/**
 * Problems with a response, by the operation's schema for its status (or `default`); undefined
 * when the spec declares no schema for that status (e.g. Storage's GET declares only 200).
 */
export function responseProblems(operation: Operation, status: number, bodyText: string | undefined): string[] | undefined {
  const declared = operation.responses[String(status)] ?? operation.responses.default;
  if (!declared?.schema) return undefined;
  let body: unknown;
  try {
    body = bodyText ? JSON.parse(bodyText) : undefined;
  } catch {
    return ["the body is not JSON"];
  }
  const validate = validator(operation, declared.schema);
  return validate(withoutNulls(body))
    ? []
    : (validate.errors ?? []).map((e) => `${e.instancePath || "(body)"} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ""}`);
}

/**
 * ARM's serializers write an unset optional property as `null` (a diagnostic setting's
 * `"category": null` beside `"categoryGroup": "allLogs"`) and autorest clients read it as absent;
 * so does this check. A required property that is `null` is still reported as missing.
 */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!value || typeof value !== "object") return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value as Json)) if (v !== null) out[k] = withoutNulls(v);
  return out;
}

/** A vendored example file of an operation, as Microsoft published it. */
export function readExample(operation: Operation, file: string): { parameters: Json; responses: Record<string, { body?: unknown }> } {
  return JSON.parse(readFileSync(join(SPECS_DIR, operation.spec, file), "utf8"));
}

export function operation(operationId: string): Operation {
  const op = operations.find((o) => o.operationId === operationId);
  if (!op) throw new Error(`No vendored operation ${operationId}`);
  return op;
}
