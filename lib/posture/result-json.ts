/**
 * The result as JSON text in chunks. A whole tenant's result (1.8M findings for 100,000
 * accounts) is more text than one JavaScript string can hold, so `JSON.stringify(result)` throws;
 * writing these chunks to a stream gives exactly the same text.
 */
import type { ScanResult } from "./result";

const ITEMS_PER_CHUNK = 1000;

export function* resultJsonChunks(result: ScanResult): Generator<string> {
  let separator = "{";
  for (const [key, value] of Object.entries(result)) {
    if (value === undefined) continue; // as JSON.stringify does
    yield `${separator}${JSON.stringify(key)}:`;
    separator = ",";
    if (!Array.isArray(value)) {
      yield JSON.stringify(value);
      continue;
    }
    // Arrays go out a slice at a time; each slice is small enough to stringify on its own.
    yield "[";
    for (let start = 0; start < value.length; start += ITEMS_PER_CHUNK) {
      const slice = JSON.stringify(value.slice(start, start + ITEMS_PER_CHUNK));
      yield (start === 0 ? "" : ",") + slice.slice(1, -1);
    }
    yield "]";
  }
  yield separator === "{" ? "{}" : "}";
}
