/** GET /api/scans/{id}/events: server-sent events, `progress` then one `done`; the stream ends with the scan. */
import { formatSse, scanEvents } from "@/lib/scan/jobs-events";
import { route } from "@/app/api/_lib/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route<{ id: string }>({ role: "Posture.Reader" }, async ({ request, params: { id }, jobs, actor }) => {
  // Capped per user and in all (429 past either); the user is who is signed in, or "local" in the demo.
  const events = await scanEvents(jobs, id, { signal: request.signal, user: actor });
  const encoder = new TextEncoder();
  let ping: NodeJS.Timeout | undefined;
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      // A comment every 15 s keeps proxies from closing a quiet stream.
      ping = setInterval(() => controller.enqueue(encoder.encode(": ping\n\n")), 15_000);
      try {
        for await (const e of events) controller.enqueue(encoder.encode(formatSse(e)));
      } catch (error) {
        controller.enqueue(encoder.encode(`event: error\ndata: ${JSON.stringify({ message: error instanceof Error ? error.message : String(error) })}\n\n`));
      } finally {
        clearInterval(ping);
        controller.close();
      }
    },
    async cancel() {
      clearInterval(ping);
      await events.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    },
  });
});
