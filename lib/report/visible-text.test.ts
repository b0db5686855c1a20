/** Invisible and reordering characters are shown as code points, in the pages and the CSV. */
import { describe, expect, it } from "vitest";
import { csvCell } from "./csv";
import { showHidden } from "./visible-text";

describe("showHidden", () => {
  it("shows NUL, bidi controls, zero-width and private-use characters as code points", () => {
    expect(showHidden("speech\u0000prod")).toBe("speech[U+0000]prod");
    expect(showHidden("invoice\u202Etxt.exe")).toBe("invoice[U+202E]txt.exe");
    expect(showHidden("ad\u200Bmin")).toBe("ad[U+200B]min");
    expect(showHidden("a\u2066b\u2069")).toBe("a[U+2066]b[U+2069]");
    expect(showHidden("\uFEFFx\uE000")).toBe("[U+FEFF]x[U+E000]");
    expect(showHidden("\uD800")).toBe("[U+D800]");
  });

  it("leaves ordinary text alone, other scripts included", () => {
    for (const s of ["speech-prod-01", "Prüfung – Sprache", "中文 عربي עברית", "tab\there\nnew line\r", ""]) expect(showHidden(s)).toBe(s);
  });
});

describe("CSV cells", () => {
  it("show hidden characters, and still neutralise formulas", () => {
    expect(csvCell("speech\u0000prod\u202Etxt.exe")).toBe("speech[U+0000]prod[U+202E]txt.exe");
    expect(csvCell("\u200B=HYPERLINK(1)")).toBe("[U+200B]=HYPERLINK(1)");
    expect(csvCell("=1+1")).toBe("'=1+1");
    expect(csvCell("a,b\nc")).toBe('"a,b\nc"');
  });
});
