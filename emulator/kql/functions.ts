/** Scalar functions the emulator understands, with Kusto's null behaviour. Others are a 400. */
import { KqlError } from "./errors";
import { isNull, toBool, toLong, toReal, toStr, type Value } from "./values";

export type KqlType = "string" | "bool" | "long" | "real" | "dynamic";

export interface ScalarFunction {
  min: number;
  max: number;
  /** Result type, possibly from the argument types. */
  type: KqlType | ((args: KqlType[]) => KqlType);
  impl: (...args: Value[]) => Value;
}

const isEmpty = (v: Value) => isNull(v) || v === "";

export const FUNCTIONS: Record<string, ScalarFunction> = {
  tostring: { min: 1, max: 1, type: "string", impl: (v) => toStr(v) },
  tolower: { min: 1, max: 1, type: "string", impl: (v) => toStr(v).toLowerCase() },
  toupper: { min: 1, max: 1, type: "string", impl: (v) => toStr(v).toUpperCase() },
  tobool: { min: 1, max: 1, type: "bool", impl: toBool },
  toboolean: { min: 1, max: 1, type: "bool", impl: toBool },
  toint: { min: 1, max: 1, type: "long", impl: toLong },
  tolong: { min: 1, max: 1, type: "long", impl: toLong },
  todouble: { min: 1, max: 1, type: "real", impl: toReal },
  toreal: { min: 1, max: 1, type: "real", impl: toReal },
  todynamic: { min: 1, max: 1, type: "dynamic", impl: parseJson },
  parse_json: { min: 1, max: 1, type: "dynamic", impl: parseJson },
  isempty: { min: 1, max: 1, type: "bool", impl: isEmpty },
  isnotempty: { min: 1, max: 1, type: "bool", impl: (v) => !isEmpty(v) },
  isnull: { min: 1, max: 1, type: "bool", impl: isNull },
  isnotnull: { min: 1, max: 1, type: "bool", impl: (v) => !isNull(v) },
  not: { min: 1, max: 1, type: "bool", impl: (v) => (typeof v === "boolean" ? !v : null) },
  strlen: { min: 1, max: 1, type: "long", impl: (v) => toStr(v).length },
  strcat: { min: 1, max: 64, type: "string", impl: (...vs) => vs.map(toStr).join("") },
  array_length: { min: 1, max: 1, type: "long", impl: (v) => (Array.isArray(v) ? v.length : null) },
  split: { min: 2, max: 2, type: "dynamic", impl: (s, d) => toStr(s).split(toStr(d)) },
  iff: { min: 3, max: 3, type: (t) => t[1], impl: (c, a, b) => (c === true ? a : b) },
  iif: { min: 3, max: 3, type: (t) => t[1], impl: (c, a, b) => (c === true ? a : b) },
  // bag_pack(key1, value1, key2, value2, …): a property bag; keys must be strings (Kusto refuses others).
  bag_pack: { min: 2, max: 64, type: "dynamic", impl: bagPack },
  coalesce: { min: 2, max: 64, type: (t) => t[0], impl: (...vs) => vs.find((v) => !isEmpty(v)) ?? null },
};

function bagPack(...vs: Value[]): Value {
  if (vs.length % 2 !== 0) throw new KqlError("Function 'bag_pack' takes an even number of arguments (key, value pairs)");
  const bag: Record<string, unknown> = {};
  for (let i = 0; i + 1 < vs.length; i += 2) bag[toStr(vs[i])] = vs[i + 1] ?? null;
  return bag as Value;
}

function parseJson(v: Value): Value {
  if (typeof v !== "string") return v ?? null;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}
