/**
 * The server's store and scan jobs, for server components and server actions. Pages read the
 * store directly (no HTTP round-trip); the one process-wide instance is the API's. Reading needs
 * a signed-in Reader (or the local demo), checked here as well as in the proxy.
 */
import { requirePageRole } from "@/lib/auth/server";
import { serverJobs } from "@/lib/scan/jobs-server";
import type { ScanJobs } from "@/lib/scan/jobs";
import type { Store } from "@/lib/store/store";

export async function uiJobs(): Promise<ScanJobs> {
  await requirePageRole("Posture.Reader");
  return serverJobs();
}

export async function uiStore(): Promise<Store> {
  await requirePageRole("Posture.Reader");
  return (await serverJobs()).store;
}
