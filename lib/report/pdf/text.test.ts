import PDFDocument from "pdfkit";
import { beforeAll, describe, expect, it } from "vitest";
import { loadFaces } from "./faces";
import type { FaceName } from "./fonts";
import { clean, fitLine, widthOf, wrapLines, type Face } from "./text";

let faces: Record<FaceName, Face>;
beforeAll(() => {
  faces = loadFaces(new PDFDocument({ autoFirstPage: false }));
});

describe("clean", () => {
  it("keeps text the font has, and markup as literal characters", () => {
    expect(clean('<script>alert("x")</script> =SUM(A1) Привет Ελλάδα café', faces.regular)).toBe('<script>alert("x")</script> =SUM(A1) Привет Ελλάδα café');
  });

  it("prints invisible, control and missing characters as code points", () => {
    expect(clean("a\u202Eb\u200Bc\u0000d", faces.regular)).toBe("a[U+202E]b[U+200B]c[U+0000]d");
    expect(clean("中文", faces.regular)).toBe("[U+4E2D U+6587]");
    expect(clean("🎙️", faces.regular)).toBe("[U+1F399 U+FE0F]");
    expect(clean("\uD800x", faces.regular)).toBe("[U+D800]x");
    expect(clean("tab\tnew\nline", faces.regular)).toBe("tab new line");
  });

  it("only returns characters the face can draw", () => {
    const s = clean("ok ✓ ✗ – … 中 \u0301", faces.mono);
    for (const ch of s) expect(faces.mono.has(ch.codePointAt(0)!), ch).toBe(true);
  });
});

describe("wrapLines", () => {
  const size = 8;
  it("never makes a line wider than asked, for words, IDs and unbroken tokens", () => {
    const samples = [
      "The quick brown fox jumps over the lazy dog ".repeat(8),
      "/subscriptions/67d044f4-775b-4595-bd6b-bcab8da6bf2d/resourceGroups/rg-speech-prod/providers/Microsoft.CognitiveServices/accounts/spch-speech-prod-00c",
      "x".repeat(700),
      "mixed Распознавание-речи-中文 and a " + "y".repeat(300) + " tail",
    ];
    for (const width of [60, 140, 300]) {
      for (const text of samples) {
        const lines = wrapLines(text, faces.regular, size, width);
        for (const line of lines) expect(widthOf(line, faces.regular, size)).toBeLessThanOrEqual(width + 0.01);
        expect(lines.join("").replace(/\s+/g, "")).toBe(clean(text, faces.regular).replace(/\s+/g, ""));
      }
    }
  });

  it("breaks long IDs after a separator, never right after a hyphen", () => {
    const id = "/subscriptions/67d044f4-775b-4595-bd6b-bcab8da6bf2d/resourceGroups/rg-speech-prod/providers/Microsoft.CognitiveServices/accounts/a";
    const lines = wrapLines(id, faces.mono, 7, 150);
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines.slice(0, -1)) expect(line.endsWith("-")).toBe(false);
    expect(lines[0].endsWith("/")).toBe(true);
  });

  it("keeps explicit line breaks, indentation when asked, and truncates to maxLines with an ellipsis", () => {
    expect(wrapLines("one\ntwo", faces.regular, size, 300)).toEqual(["one", "two"]);
    expect(wrapLines("a:\n  b: 1", faces.mono, size, 300, Infinity, true)).toEqual(["a:", "  b: 1"]);
    const lines = wrapLines("word ".repeat(200), faces.regular, size, 100, 2);
    expect(lines).toHaveLength(2);
    expect(lines[1].endsWith("…")).toBe(true);
  });
});

describe("fitLine", () => {
  it("returns short text unchanged and cuts long text with an ellipsis", () => {
    expect(fitLine("short", faces.bold, 9, 200)).toBe("short");
    const cut = fitLine("a-rather-long-resource-name-that-does-not-fit", faces.bold, 9, 60);
    expect(cut.endsWith("…")).toBe(true);
    expect(widthOf(cut, faces.bold, 9)).toBeLessThanOrEqual(60);
    expect("a-rather-long-resource-name-that-does-not-fit".startsWith(cut.slice(0, -1))).toBe(true);
  });
});
