/**
 * The synthetic tenant: plain data the emulator serves. Build one with `generateTenant`, mutate it
 * freely in tests, then hand it to `startEmulator({ tenant })` (the server indexes it at start).
 */
import { TenantBuilder } from "./generate/builder";
import type { Tenant } from "./tenant-model";

export type { Tenant, TenantManagementGroup, TenantSubscription } from "./tenant-model";

export interface TenantOptions {
  seed?: number;
  /** Subscriptions the caller can see (default 6). */
  subscriptions?: number;
  /** Speech accounts (kinds SpeechServices, AIServices, CognitiveServices; default 40). About one
   *  non-Speech account (TextAnalytics, OpenAI, ComputerVision, …) per eight is added on top. */
  accounts?: number;
  /** Extra subscriptions the caller cannot see (default: 1 per 50 visible, at least 1). */
  hiddenSubscriptions?: number;
  /**
   * Where the counter in account, storage and vault names starts (default 0). Such names are global
   * in Azure (DNS names), so tenants served together each take their own range; a multiple of 90
   * keeps the cost-centre tags as they are.
   */
  nameOffset?: number;
}

export const DEFAULT_TENANT = { seed: 42, subscriptions: 6, accounts: 40 } as const;

export function generateTenant(options: TenantOptions = {}): Tenant {
  const seed = options.seed ?? DEFAULT_TENANT.seed;
  const subscriptions = Math.max(1, Math.floor(options.subscriptions ?? DEFAULT_TENANT.subscriptions));
  const accounts = Math.max(0, Math.floor(options.accounts ?? DEFAULT_TENANT.accounts));
  const hidden = Math.max(0, Math.floor(options.hiddenSubscriptions ?? Math.max(1, Math.round(subscriptions / 50))));
  const builder = new TenantBuilder(seed, subscriptions, hidden, Math.max(0, Math.floor(options.nameOffset ?? 0)));
  const nonSpeech = accounts === 0 ? 0 : Math.max(3, Math.round(accounts / 8));
  // Spread the other kinds evenly between the Speech accounts.
  let nextOther = 0;
  for (let i = 0; i < accounts; i++) {
    builder.addSpeechAccount(i);
    while (nextOther < nonSpeech && Math.floor(((nextOther + 1) * accounts) / (nonSpeech + 1)) === i + 1) {
      builder.addOtherAccount(nextOther++);
    }
  }
  while (nextOther < nonSpeech) builder.addOtherAccount(nextOther++);
  return builder.finish();
}
