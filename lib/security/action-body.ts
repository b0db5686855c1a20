/**
 * A server action's body as Next.js expects it: the arguments encoded as JSON text, or a
 * multipart form. Anything else made Next.js answer 500 (an internal error for what is the
 * client's mistake); the proxy answers 400 instead.
 */

/** Why the body cannot be a server action's, or null when it may be. */
export async function malformedActionBody(request: Request): Promise<string | null> {
  const type = (request.headers.get("content-type") ?? "").toLowerCase();
  if (type.startsWith("multipart/form-data")) return /;\s*boundary=\S/.test(type) ? null : "a multipart body without a boundary";
  let text: string;
  try {
    text = await request.text();
  } catch {
    return "the body could not be read";
  }
  try {
    JSON.parse(text);
    return null;
  } catch {
    return "the body is not the JSON a server action sends";
  }
}
