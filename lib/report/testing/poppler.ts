/**
 * Reading generated PDFs in tests with poppler-utils (real binaries): text, document info, the
 * outline, and PNG renderings of pages.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/** A PDF written to a temporary folder, removed by `dispose`. */
export class PdfFile {
  readonly dir: string;
  readonly path: string;

  constructor(
    readonly bytes: Buffer,
    name = "report.pdf",
  ) {
    this.dir = mkdtempSync(join(tmpdir(), "speech-posture-pdf-"));
    this.path = join(this.dir, name);
    writeFileSync(this.path, bytes);
  }

  /** `pdftotext -layout` of the given pages (1-based, inclusive), or of the whole document. */
  text(first?: number, last?: number): string {
    const args = ["-enc", "UTF-8"];
    if (first !== undefined) args.push("-f", String(first));
    if (last !== undefined) args.push("-l", String(last ?? first));
    return run("pdftotext", [...args, this.path, "-"]);
  }

  /** Text of each page, in order. */
  pages(): string[] {
    return this.text().split("\f").slice(0, this.info().pages);
  }

  info(): { pages: number; fields: Record<string, string> } {
    const out = run("pdfinfo", ["-enc", "UTF-8", this.path]);
    const fields: Record<string, string> = {};
    for (const line of out.split("\n")) {
      const m = /^([^:]+):\s*(.*)$/.exec(line);
      if (m) fields[m[1].trim()] = m[2].trim();
    }
    return { pages: Number(fields.Pages), fields };
  }

  /** Every word with its box, page by page (`pdftotext -bbox`): a word broken across lines comes back as two words. */
  words(): { text: string; xMin: number; yMin: number; xMax: number; yMax: number }[][] {
    const html = run("pdftotext", ["-enc", "UTF-8", "-bbox", this.path, "-"]);
    return html
      .split("<page ")
      .slice(1)
      .map((page) =>
        [...page.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
          text: unescapeXml(m[5]),
          xMin: Number(m[1]),
          yMin: Number(m[2]),
          xMax: Number(m[3]),
          yMax: Number(m[4]),
        })),
      );
  }

  /** The structure tree with each element's text (`pdfinfo -struct-text`); empty for an untagged file. */
  structure(): string {
    return run("pdfinfo", ["-struct-text", this.path]);
  }

  /** The outline (bookmarks), flattened: title, 1-based page and nesting depth. */
  outline(): { title: string; page: number; depth: number }[] {
    const xml = run("pdftohtml", ["-xml", "-i", "-stdout", "-q", "-f", "1", "-l", "1", this.path]);
    const start = xml.indexOf("<outline>");
    if (start < 0) return [];
    const items: { title: string; page: number; depth: number }[] = [];
    let depth = 0;
    const re = /<outline>|<\/outline>|<item page="(\d+)">([\s\S]*?)<\/item>/g;
    re.lastIndex = start;
    for (let m = re.exec(xml); m; m = re.exec(xml)) {
      if (m[0] === "<outline>") depth++;
      else if (m[0] === "</outline>") depth--;
      else items.push({ title: unescapeXml(m[2]), page: Number(m[1]), depth });
    }
    return items;
  }

  /** Renders pages to PNG files in this file's folder; returns their paths in page order. */
  png(first: number, last: number, dpi = 60): string[] {
    run("pdftoppm", ["-png", "-r", String(dpi), "-f", String(first), "-l", String(last), this.path, join(this.dir, "page")]);
    return readdirSync(this.dir)
      .filter((f) => f.startsWith("page") && f.endsWith(".png"))
      .sort()
      .map((f) => join(this.dir, f));
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function unescapeXml(s: string): string {
  return s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");
}

/** All white space removed: wrapped lines compare equal to the unwrapped text. */
export function squash(s: string): string {
  return s.replace(/\s+/g, "");
}
