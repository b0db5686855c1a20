import { describe, expect, it } from "vitest";
import { textStream } from "./download";

async function drain(stream: ReadableStream<Uint8Array>): Promise<{ bytes: Buffer; chunks: number[] }> {
  const parts: Uint8Array[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
  }
  return { bytes: Buffer.concat(parts), chunks: parts.map((p) => p.byteLength) };
}

const CHUNK = 256 * 1024;

describe("textStream", () => {
  it("sends exactly the UTF-8 of the joined pieces, characters of 1 to 4 bytes straddling every chunk boundary", async () => {
    // Pieces of odd sizes so that multi-byte characters (é, €, 😀 as a surrogate pair) land on each chunk edge.
    const alphabet = ["a", "é", "€", "😀"];
    const pieces: string[] = [];
    for (let i = 0; i < 4000; i++) pieces.push(alphabet[i % 4].repeat(1 + (i % 97)) + (i % 5 === 0 ? "" : "x".repeat(i % 31)));
    pieces.splice(10, 0, "", "€".repeat(CHUNK)); // an empty piece, and one larger than a whole chunk
    const { bytes, chunks } = await drain(textStream(pieces));
    expect(bytes.equals(Buffer.from(pieces.join(""), "utf8"))).toBe(true);
    expect(Math.max(...chunks)).toBeLessThanOrEqual(CHUNK);
    expect(chunks.length).toBeGreaterThan(3);
    // Every chunk but the last is full up to at most one character's bytes.
    for (const n of chunks.slice(0, -1)) expect(n).toBeGreaterThan(CHUNK - 4);
  });

  it("takes asynchronous pieces, and sends nothing for none", async () => {
    async function* pieces() {
      yield "{";
      await new Promise((r) => setTimeout(r, 1));
      yield '"a":"ü"';
      yield "}";
    }
    expect((await drain(textStream(pieces()))).bytes.toString("utf8")).toBe('{"a":"ü"}');
    expect(await drain(textStream([]))).toEqual({ bytes: Buffer.alloc(0), chunks: [] });
  });

  it("sends a chunk as soon as it is full, before asking for the next piece", async () => {
    let asked = 0;
    function* pieces() {
      asked++;
      yield "z".repeat(CHUNK);
      asked++;
      yield "after";
    }
    const reader = textStream(pieces()).getReader();
    expect((await reader.read()).value?.byteLength).toBe(CHUNK);
    expect(asked).toBe(1);
    expect(Buffer.from((await reader.read()).value!).toString()).toBe("after");
  });

  it("errors the stream when producing a piece fails, after what was sent", async () => {
    async function* pieces() {
      yield "x".repeat(CHUNK + 10);
      throw new Error("the store went away");
    }
    const reader = textStream(pieces()).getReader();
    expect((await reader.read()).value?.byteLength).toBe(CHUNK);
    await expect(reader.read()).rejects.toThrow("the store went away");
  });

  it("stops the pieces when the client goes away", async () => {
    let finished = false;
    function* pieces() {
      try {
        for (;;) yield "y".repeat(1000);
      } finally {
        finished = true;
      }
    }
    const reader = textStream(pieces()).getReader();
    await reader.read();
    await reader.cancel();
    expect(finished).toBe(true);
  });
});
