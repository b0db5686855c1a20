/**
 * The fonts the PDFs embed: DejaVu Sans Condensed (text) and DejaVu Sans Mono (evidence, code),
 * from the `dejavu-fonts-ttf` npm package, read from node_modules at run time (never downloaded).
 * DejaVu covers Latin, Greek, Cyrillic, Armenian, Georgian, Hebrew, Arabic and many symbols;
 * other characters (CJK, for one) are printed as their code points, see `text.ts`.
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export type FaceName = "regular" | "bold" | "mono";

export const FONT_FILES: Readonly<Record<FaceName, string>> = {
  regular: "DejaVuSansCondensed.ttf",
  bold: "DejaVuSansCondensed-Bold.ttf",
  mono: "DejaVuSansMono.ttf",
};

const PACKAGE_DIR = join("node_modules", "dejavu-fonts-ttf", "ttf");
let cached: string | undefined;

/**
 * The folder holding the TTF files: `SPEECH_POSTURE_FONT_DIR` when set, else `dejavu-fonts-ttf/ttf`
 * in the nearest node_modules above this module or above the working directory (a bundled server
 * build moves this module, the working directory stays the app's root).
 */
export function fontDir(): string {
  if (cached) return cached;
  const override = process.env.SPEECH_POSTURE_FONT_DIR;
  const candidates: string[] = [];
  if (override) candidates.push(resolve(override));
  for (const start of [moduleDir(), process.cwd()]) {
    if (!start) continue;
    for (let dir = resolve(/*turbopackIgnore: true*/ start); ; dir = dirname(dir)) {
      candidates.push(join(dir, PACKAGE_DIR));
      if (dirname(dir) === dir) break;
    }
  }
  // The font folder is found at run time (the build must not trace the project for it).
  const found = candidates.find((c) => existsSync(/*turbopackIgnore: true*/ join(/*turbopackIgnore: true*/ c, FONT_FILES.regular)));
  if (!found) {
    throw new Error(
      `Report fonts not found: install the dejavu-fonts-ttf package (looked for ${FONT_FILES.regular} in ${candidates.slice(0, 3).join(", ")}, …).`,
    );
  }
  cached = found;
  return found;
}

export function fontPath(face: FaceName): string {
  return join(/*turbopackIgnore: true*/ fontDir(), FONT_FILES[face]);
}

function moduleDir(): string | undefined {
  try {
    return dirname(fileURLToPath(import.meta.url));
  } catch {
    return undefined;
  }
}
