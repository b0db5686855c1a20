/**
 * At server start (instrumentation.ts, which Next.js runs once the server listens): settings that
 * would expose the data stop the process, e.g. AUTH_MODE=none while a socket listens off loopback
 * (`next start -H 127.0.0.1 -H 0.0.0.0` binds 0.0.0.0) or conflicting listen options.
 */
import { AuthConfigError, resolveAuthConfig } from "./config";
import { listeningAddresses, recordListenAddresses } from "./listening";

export function refuseUnsafeStart(): void {
  const bound = listeningAddresses();
  if (bound.length) recordListenAddresses(bound);
  try {
    resolveAuthConfig(process.env, process.argv, bound);
  } catch (error) {
    if (error instanceof AuthConfigError) {
      console.error(`speech-posture: refusing to start: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}
