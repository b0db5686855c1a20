/**
 * The daily check for exceptions about to expire: at start and every day at 07:00 UTC. Every
 * instance runs it; the per-destination claim of each event lets only one of them send it.
 */
import { Cron } from "croner";
import type { Store } from "@/lib/store/store";
import { alertsForExpiries } from "./alerts";

export const EXPIRY_CHECK_CRON = "0 7 * * *";

export function startExpiryAlerts(store: Store): { stop(): void } {
  const check = () =>
    alertsForExpiries(store).then(
      () => undefined,
      (error) => console.error("speech-posture: the daily check of expiring exceptions failed:", error instanceof Error ? error.message : error),
    );
  // protect: a check still sending (retries to a slow receiver) is not started twice.
  const cron = new Cron(EXPIRY_CHECK_CRON, { timezone: "UTC", protect: true, unref: true }, check);
  const first = setTimeout(check, 5_000);
  first.unref();
  return {
    stop() {
      clearTimeout(first);
      cron.stop();
    },
  };
}
