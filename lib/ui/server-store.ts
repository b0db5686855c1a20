/**
 * The server's store and scan jobs, for server components and server actions. Pages read the
 * store directly (no HTTP round-trip); the one process-wide instance is the API's.
 */
import { serverJobs } from "../scan/jobs-server";
import type { ScanJobs } from "../scan/jobs";
import type { Store } from "../store/store";

export function uiJobs(): Promise<ScanJobs> {
  return serverJobs();
}

export async function uiStore(): Promise<Store> {
  return (await serverJobs()).store;
}
