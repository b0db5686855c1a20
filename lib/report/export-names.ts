/** Download file names: characters safe in every file system and header. */

/** A piece of a download's file name: characters safe everywhere, at most 80. */
export const fileNamePart = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 80);

export function exportFilename(scanId: string, subscriptionId?: string): string {
  return `speech-posture-${fileNamePart(scanId)}${subscriptionId ? `-${fileNamePart(subscriptionId)}` : ""}`;
}
