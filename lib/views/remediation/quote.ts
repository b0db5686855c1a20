/**
 * Values from Azure or an uploaded snapshot put into scripts: quoted so that a name with spaces,
 * quotes or `$(…)` stays one literal argument and never becomes code.
 */

const SHELL_SAFE = /^[A-Za-z0-9@%+=:,./_-]+$/;

/** One POSIX shell word: bare when it is plainly safe, else single-quoted. */
export function sh(value: string): string {
  if (value !== "" && SHELL_SAFE.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A Bicep string literal: single quotes, with `\`, `'` and `${` escaped, line breaks as escapes. */
export function bicepString(value: string): string {
  const escaped = value.replace(/\\/g, "\\\\").replace(/'/g, "\\'").replace(/\$\{/g, "\\${").replace(/\r/g, "\\r").replace(/\n/g, "\\n").replace(/\t/g, "\\t");
  return `'${escaped}'`;
}

/** JSON inside a single-quoted shell word (for `--encryption '{…}'` style arguments). */
export function shJson(value: unknown): string {
  return sh(JSON.stringify(value));
}

/** Text safe inside a `#` or `//` comment: a line break in a name must not end the comment and start a command. */
export function commentText(value: string): string {
  return value.replace(/[\r\n\u0085\u2028\u2029]/g, (ch) => `[U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}]`);
}
