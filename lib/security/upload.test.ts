/**
 * Hostile uploads at the library level: the dense file of empty objects that ran the server out
 * of memory is refused by its value count before anything is parsed; a snapshot that needs more
 * memory than the parse worker may use ends that worker, not this process; uploads are parsed
 * one at a time.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { SnapshotInputError } from "@/lib/posture/input-error";
import { parseJsonText } from "@/lib/posture/json-text";
import { findForbiddenKey } from "./hostile-keys";
import { parseUploadedFile, parseUploadedSnapshot } from "./snapshot-input";
import { MAX_WAITING_UPLOADS, UploadRefusedError, oneUploadAtATime, parseSnapshotInWorker } from "./upload-parser";
import { PayloadTooLargeError, UnsupportedEncodingError, uploadLimitBytes, uploadValueLimit } from "./upload-limit";
import { spoolBody } from "./upload-body";

/** The penetration test's file: one resource whose property holds `n` empty objects. */
function emptyObjects(n: number): string {
  return `{"value":[{"id":"/subscriptions/x/a","p":[${"{},".repeat(n - 1)}{}]}]}`;
}

const SUB = "00000000-0000-4000-8000-00000000beef";
const validSnapshot = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    kind: "speech-posture.snapshot",
    version: 1,
    collectedAt: "2026-01-01T00:00:00Z",
    subscriptions: [],
    coverage: ["resources"],
    resources: [
      {
        id: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/a`,
        name: "a",
        type: "Microsoft.CognitiveServices/accounts",
        kind: "SpeechServices",
        location: "westeurope",
        subscriptionId: SUB,
        properties: {},
        ...extra,
      },
    ],
    diagnosticSettings: {},
    speechEndpoints: {},
    errors: [],
  });

const bytes = (text: string) => new TextEncoder().encode(text);

describe("counting values before parsing", () => {
  it("counts every value once, keys not included", () => {
    for (const [text, values] of [
      ["1", 1],
      ["[]", 1],
      ["{}", 1],
      ["[{},{}]", 3],
      [' { "a" : [ 1 , "x,]" , { } ] , "b" : null } ', 6],
      ['{"a":{"b":{"c":[]}}}', 4],
    ] as const) {
      expect("value" in parseJsonText(text, { maxValues: values }), text).toBe(true);
      const over = parseJsonText(text, { maxValues: values - 1 });
      if (values > 1) expect(over, text).toMatchObject({ path: "", tooManyValues: true });
    }
  });

  it("refuses the file of empty objects past the cap, naming the setting", () => {
    expect(() => parseUploadedSnapshot(emptyObjects(300_000), 100_000)).toThrow(SnapshotInputError);
    expect(() => parseUploadedSnapshot(emptyObjects(300_000), 100_000)).toThrow(/more than 100000 values .*SPEECH_POSTURE_MAX_UPLOAD_VALUES/);
  });

  it("has defaults that fit each other and lower than before", () => {
    expect(uploadLimitBytes({})).toBe(50 * 1024 * 1024);
    expect(uploadValueLimit({})).toBe(2_000_000);
    expect(uploadValueLimit({ SPEECH_POSTURE_MAX_UPLOAD_VALUES: "10" })).toBe(10);
    // The attack at the default size limit is refused at the default value cap.
    const attackValues = Math.floor(uploadLimitBytes({}) / 3);
    expect(attackValues).toBeGreaterThan(uploadValueLimit({}));
  });
});

describe("object-tampering keys in wide input", () => {
  it("are found with their path after a million siblings", () => {
    const wide: unknown[] = Array.from({ length: 1_000_000 }, () => ({}));
    wide.push({ ok: [1, { tags: { prototype: 1 } }] });
    expect(findForbiddenKey({ p: wide })).toEqual({ path: "p[1000000].ok[1].tags.prototype", key: "prototype" });
  });
});

describe("the parse worker", () => {
  it("parses a valid snapshot and reports an invalid one with its path", async () => {
    const snapshot = await parseSnapshotInWorker(bytes(validSnapshot()));
    expect(snapshot.resources).toHaveLength(1);
    await expect(parseSnapshotInWorker(bytes(validSnapshot({ tags: { constructor: 1 } })))).rejects.toThrow(
      /resources\[0\]\.tags\.constructor: the key "constructor" is not allowed/,
    );
    await expect(parseSnapshotInWorker(bytes(emptyObjects(5000)), { maxValues: 1000 })).rejects.toBeInstanceOf(SnapshotInputError);
  });

  it("dies alone when a snapshot needs more memory than it may use", async () => {
    // 200,000 small strings fit the value cap but not a 16 MB heap once parsed.
    const heavy = validSnapshot({ tags: Object.fromEntries(Array.from({ length: 200_000 }, (_, i) => [`k${i}`, `value number ${i}`])) });
    const error = await parseSnapshotInWorker(bytes(heavy), { memoryMb: 16 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UploadRefusedError);
    expect(error).toMatchObject({ status: 413, code: "too_complex" });
    // This process goes on, and the next parse works.
    expect((await parseSnapshotInWorker(bytes(validSnapshot()))).resources).toHaveLength(1);
  });
});

describe("the parse worker reading a spooled file", () => {
  const dir = mkdtempSync(join(tmpdir(), "upload-test-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (text: string) => {
    const path = join(dir, `f${readdirSync(dir).length}.json`);
    writeFileSync(path, text);
    return { path };
  };

  it("parses the file as it parses bytes, with the same refusals", async () => {
    expect(await parseSnapshotInWorker(file(validSnapshot()))).toEqual(await parseSnapshotInWorker(bytes(validSnapshot())));
    await expect(parseSnapshotInWorker(file(validSnapshot({ tags: { constructor: 1 } })))).rejects.toThrow(
      /resources\[0\]\.tags\.constructor: the key "constructor" is not allowed/,
    );
    await expect(parseSnapshotInWorker(file(emptyObjects(5000)), { maxValues: 1000 })).rejects.toThrow(
      /more than 1000 values .*SPEECH_POSTURE_MAX_UPLOAD_VALUES/,
    );
    await expect(parseSnapshotInWorker(file("{"))).rejects.toThrow(/not valid JSON/);
  });

  it.each([
    ["not JSON", "<html><script>alert(1)</script></html>"],
    ["empty", ""],
    ["deeply nested", "[".repeat(100_000) + "]".repeat(100_000)],
    ["a string", '"just a string"'],
    ["a forbidden key deep inside", validSnapshot({ properties: { prototype: { polluted: 1 } } })],
    ["100,000 empty documents", JSON.stringify(new Array(100_000).fill({}))],
  ])("gives the same error for %s from a file as from text", (_, text) => {
    const asText = (() => {
      try {
        parseUploadedSnapshot(text);
      } catch (error) {
        return error;
      }
    })();
    const path = file(text).path;
    const asFile = (() => {
      try {
        parseUploadedFile(path);
      } catch (error) {
        return error;
      }
    })();
    expect(asText).toBeInstanceOf(SnapshotInputError);
    expect(asFile).toEqual(asText);
    expect((asFile as SnapshotInputError).message).toBe((asText as SnapshotInputError).message);
  });
});

describe("spooling an upload to a temp file", () => {
  const dir = mkdtempSync(join(tmpdir(), "spool-test-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const request = (body: Uint8Array | ReadableStream<Uint8Array>, headers: Record<string, string> = {}) =>
    new Request("http://127.0.0.1/api/snapshots", { method: "POST", body, headers, duplex: "half" } as RequestInit);
  const text = validSnapshot();
  const sha = createHash("sha256").update(text).digest("hex");

  it("writes the body (gunzipped when sent gzip) with its size and SHA-256, and removes it on request", async () => {
    for (const [body, headers] of [
      [bytes(text), {}],
      [gzipSync(text), { "content-encoding": "gzip" }],
    ] as const) {
      const spooled = await spoolBody(request(body, headers), 1 << 20, dir);
      expect(readFileSync(spooled.path, "utf8")).toBe(text);
      expect(spooled).toMatchObject({ bytes: Buffer.byteLength(text), sha256: sha });
      spooled.remove();
      expect(existsSync(spooled.path)).toBe(false);
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it("refuses past the limit (raw or decompressed), an unknown encoding and broken gzip, leaving no file behind", async () => {
    await expect(spoolBody(request(bytes(text)), 100, dir)).rejects.toBeInstanceOf(PayloadTooLargeError);
    await expect(spoolBody(request(gzipSync(text), { "content-encoding": "gzip" }), 100, dir)).rejects.toBeInstanceOf(PayloadTooLargeError);
    await expect(spoolBody(request(bytes(text), { "content-encoding": "deflate" }), 1 << 20, dir)).rejects.toBeInstanceOf(UnsupportedEncodingError);
    await expect(spoolBody(request(bytes(text), { "content-encoding": "gzip" }), 1 << 20, dir)).rejects.toThrow(/not valid gzip/);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe("one upload at a time", () => {
  it("runs uploads in turn and refuses past the queue", async () => {
    let running = 0;
    let most = 0;
    const gates: (() => void)[] = [];
    const task = () =>
      oneUploadAtATime(async () => {
        running++;
        most = Math.max(most, running);
        await new Promise<void>((r) => gates.push(r));
        running--;
        return "done";
      });
    const accepted = Array.from({ length: MAX_WAITING_UPLOADS + 1 }, task);
    await expect(task()).rejects.toMatchObject({ status: 503, code: "busy" });
    for (let i = 0; i < accepted.length; i++) {
      while (gates.length === 0) await new Promise((r) => setTimeout(r, 1));
      gates.shift()!();
    }
    expect(await Promise.all(accepted)).toEqual(Array(MAX_WAITING_UPLOADS + 1).fill("done"));
    expect(most).toBe(1);
  });
});
