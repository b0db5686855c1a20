/**
 * Next.js start-up hook: on the Node.js runtime, open the store (runs migrations and marks scans
 * interrupted by a previous stop as failed, removing their partial rows) and start the scheduler.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // Refuse to serve with settings that would expose the data: e.g. AUTH_MODE=none off loopback.
  (await import("./lib/auth/startup-check")).refuseUnsafeStart();
  // Short header and request time-outs on the server Next.js started (it has no option for them).
  const { applyServerTimeouts } = await import("./lib/security/server-limits");
  applyServerTimeouts((await import("./lib/auth/listening")).listeningServers());
  try {
    const { startServer } = await import("./lib/scan/jobs-server");
    await startServer();
  } catch (error) {
    // The API retries opening the store on the next request; say why it failed now.
    console.error("speech-posture: could not open the store at start:", error instanceof Error ? error.message : error);
  }
}
