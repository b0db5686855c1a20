/** GET /api/scans/{id}/events: server-sent events, `progress` then one `done`; the stream ends with the scan. */
import { requireRole } from "@/lib/auth/principal";
import { formatSse, scanEvents } from "@/lib/scan/jobs-events";
import { serverJobs } from "@/lib/scan/jobs-server";
import { handle } from "@/app/api/_lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export function GET(request: Request, { params }: Ctx): Promise<Response> {
  return handle(async () => {
    const principal = await requireRole(request, "Posture.Reader");
    const { id } = await params;
    const jobs = await serverJobs();
    // Capped per user and in all (429 past either); the user is the signed-in object ID, or "local" in the demo.
    const events = await scanEvents(jobs, id, { signal: request.signal, user: principal.session?.oid ?? principal.actor });
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
}
