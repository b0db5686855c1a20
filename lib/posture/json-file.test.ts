import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readJsonFile } from "./json-file";
import { MAX_JSON_DEPTH, parseJsonText } from "./json-text";
import { parseSnapshotFile, SnapshotInputError } from "./parse";
import { account, snapshot, storage } from "./testing/fixtures";

const dir = mkdtempSync(join(tmpdir(), "json-file-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function file(text: string | Buffer): string {
  const path = join(dir, `f${files++}.json`);
  writeFileSync(path, text);
  return path;
}

// Read sizes from tiny (every value crosses a read boundary) to one read for the whole file.
const CHUNKS = [4, 7, 64, 1 << 20];

describe("readJsonFile gives what JSON.parse gives", () => {
  const snap = snapshot({ resources: [account(), storage("st1"), storage("st2", { properties: { note: 'quote " and \\ backslash, ünïcödé ✓' } })] });
  const inputs: [string, string][] = [
    ["a snapshot", JSON.stringify(snap)],
    ["the snapshot indented", JSON.stringify(snap, null, 2)],
    ["a bare array", JSON.stringify(snap.resources)],
    ["empty containers at every level", '{"a":[],"b":{},"c":[[],{}],"d":{"e":[],"f":{}}}'],
    ["primitives at every level", ' [1, -2.5e3, true, false, null, "s", {"k": 0}, [7]] \n'],
    ["a top-level string", '"just text"'],
    ["a top-level number at the end of the file", "42"],
    ["strings ending in escaped backslashes", '{"a\\\\":"b\\\\\\"c\\\\","d":["\\\\"]}'],
    ["a later duplicate key wins", '{"a":1,"a":{"b":2}}'],
  ];
  it.each(inputs)("%s", (_, text) => {
    const path = file(text);
    for (const chunk of CHUNKS) expect(readJsonFile(path, chunk)).toEqual({ value: JSON.parse(text) });
  });

  it('keeps "__proto__" an own property, as JSON.parse does, instead of setting the prototype', () => {
    const text = '{"__proto__":{"polluted":true},"x":{"__proto__":[1]}}';
    const { value } = readJsonFile(file(text), 4) as { value: Record<string, unknown> };
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.hasOwn(value, "__proto__")).toBe(true);
    expect((value as { polluted?: boolean }).polluted).toBeUndefined();
    expect(JSON.stringify(value)).toBe(text);
  });

  it.each(inputs)("counts the values of %s as parseJsonText does (maxValues)", (_, text) => {
    // The fewest values parseJsonText accepts the text with is its count.
    let count = 1;
    while ("problem" in parseJsonText(text, { maxValues: count })) count++;
    const path = file(text);
    for (const chunk of CHUNKS) {
      expect(readJsonFile(path, { chunkBytes: chunk, maxValues: count })).toEqual({ value: JSON.parse(text) });
      expect(readJsonFile(path, { chunkBytes: chunk, maxValues: count - 1 })).toMatchObject({ path: "", tooManyValues: true });
    }
  });

  it("refuses a file of more values than allowed, naming the limit", () => {
    const path = file(`[${Array.from({ length: 5000 }, () => "{}").join(",")}]`);
    expect(readJsonFile(path, { maxValues: 1000 })).toEqual({
      path: "",
      problem: expect.stringMatching(/^the JSON holds more than 1000 values \(near byte \d+\), more than this reader accepts$/),
      tooManyValues: true,
    });
  });

  it("skips a UTF-8 byte-order mark", () => {
    const path = file(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('[{"id":"x"}]')]));
    expect(readJsonFile(path, 4)).toEqual({ value: [{ id: "x" }] });
  });
});

describe("readJsonFile reports problems exactly as text input does", () => {
  const deep = `{"resources":[${"[".repeat(MAX_JSON_DEPTH)}${"]".repeat(MAX_JSON_DEPTH)}]}`;
  const bad: [string, string][] = [
    ["an empty file", ""],
    ["only whitespace", " \n\t "],
    ["not JSON", "hello"],
    ["a trailing comma in an array", "[1,]"],
    ["a trailing comma in an object", '{"a":1,}'],
    ["a missing colon", '{"a" 1}'],
    ["a key that is not a string", "{a:1}"],
    ["an unterminated string", '{"a":"b'],
    ["an unclosed array", '[{"a":1}'],
    ["text after the value", '{"a":1} x'],
    ["a raw control character in a string", '["a\u0001b"]'],
    ["nesting deeper than the limit", deep],
  ];
  it.each(bad)("%s", (_, text) => {
    const expected = parseJsonText(text);
    expect(expected).toHaveProperty("problem");
    const path = file(text);
    for (const chunk of CHUNKS) expect(readJsonFile(path, chunk)).toEqual(expected);
  });

  it("nesting exactly at the limit is read", () => {
    const text = `[${"[".repeat(MAX_JSON_DEPTH - 1)}${"]".repeat(MAX_JSON_DEPTH - 1)}]`;
    expect(readJsonFile(file(text), 16)).toEqual({ value: JSON.parse(text) });
  });
});

describe("parseSnapshotFile", () => {
  it("validates what it reads and names the path of the first problem", () => {
    const input = JSON.parse(JSON.stringify(snapshot({ resources: [account()] })));
    input.resources[0].properties.userOwnedStorage = "st1";
    let error: unknown;
    try {
      parseSnapshotFile(file(JSON.stringify(input)));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SnapshotInputError);
    expect((error as SnapshotInputError).message).toBe(
      "resources[0].properties.userOwnedStorage (speech-prod-01, /subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg-speech/providers/Microsoft.CognitiveServices/accounts/speech-prod-01): expected an array, got a string",
    );
  });
});
