/** At server start: settings that would expose the data (e.g. AUTH_MODE=none off loopback) stop the process. */
import { AuthConfigError, resolveAuthConfig } from "./config";

export function refuseUnsafeStart(): void {
  try {
    resolveAuthConfig();
  } catch (error) {
    if (error instanceof AuthConfigError) {
      console.error(`speech-posture: refusing to start: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}
