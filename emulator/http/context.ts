/** What every route handler receives: the server's state and the parsed request. */
import type { TenantIndex } from "@/emulator/tenant-index";
import type { FaultState } from "./faults";
import type { QuotaTracker } from "./quota";
import type { ResultCache } from "./result-cache";
import type { EmulatorStats } from "./stats";

export interface ServerState {
  index: TenantIndex;
  faults: FaultState;
  quota?: QuotaTracker;
  stats: EmulatorStats;
  cache: ResultCache;
  /** The scanner runs inside the private network: closed Speech endpoints answer. */
  privateNetwork: boolean;
}

export interface RequestContext {
  method: string;
  url: URL;
  /** Path with repeated slashes collapsed (the Monitor SDK sends `//subscriptions/…`). */
  path: string;
  caller: string;
  /** `https://host:port` as the client addressed this server, for absolute next links. */
  origin: string;
  body: string;
}
