/** What every route handler receives: the server's state and the parsed request. */
import type { AccessModel } from "@/emulator/access";
import type { TenantIndex } from "@/emulator/tenant-index";
import type { Tenancy } from "@/emulator/tenancy";
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
  /** What each principal may read. */
  access: AccessModel;
  /** Which tenant's subscriptions a token reaches (its own, and Lighthouse delegations). */
  tenancy: Tenancy;
  /** A tenant-scope Resource Graph query covers at most this many subscriptions (Azure: 10,000). */
  tenantSubscriptionLimit: number;
}

export interface RequestContext {
  method: string;
  url: URL;
  /** The decoded path, as sent (a `//` is not repaired: ARM refuses it). */
  path: string;
  caller: string;
  /** The tenant that issued the token (its `tid` claim; the home tenant when it names none). */
  tenantId: string;
  /** `https://host:port` as the client addressed this server, for absolute next links. */
  origin: string;
  body: string;
}
