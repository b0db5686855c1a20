/**
 * Strings from Azure or a snapshot may carry characters that are invisible or rearrange what is
 * shown around them: NUL and other controls, bidi overrides (U+202E makes "exe.txt" read
 * "txt.exe"), zero-width spaces and joiners, unassigned and private-use code points. The pages and
 * the CSV show each as its code point, e.g. `[U+202E]`, as the PDF does (lib/report/pdf/text.ts),
 * so nothing is hidden or reordered. Tab, line feed and carriage return stay as they are.
 */
const HIDDEN = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/u;
const HIDDEN_ALL = new RegExp(HIDDEN.source, "gu");
const KEPT = new Set([0x09, 0x0a, 0x0d]);

const marker = (cp: number) => `[U+${cp.toString(16).toUpperCase().padStart(4, "0")}]`;

export function showHidden(text: string): string {
  if (!HIDDEN.test(text)) return text;
  return text.replace(HIDDEN_ALL, (ch) => {
    const cp = ch.codePointAt(0)!;
    return KEPT.has(cp) ? ch : marker(cp);
  });
}
