/**
 * The Azure target of one scan target: its tenant's credential built from the references the store
 * keeps (an environment variable's name, a file's path), read only now, when a scan needs them.
 * Against the emulator every kind becomes an emulator token issued by the target's tenant; the
 * client ID, when there is one, names the caller (a Lighthouse delegation names it too).
 */
import type { TokenCredential } from "@azure/core-auth";
import {
  AzureCliCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
  WorkloadIdentityCredential,
} from "@azure/identity";
import type { ScanTarget } from "@/lib/posture/targets";
import { cloudFromEnv, ConfigurationError, emulatorTarget, type AzureTarget, type Env } from "./target";

/** The live target of a scan target, or a ConfigurationError naming the missing reference. */
export function liveTargetFor(target: ScanTarget, env: Env = process.env): AzureTarget {
  const { cloud, authorityHost } = cloudFromEnv(env);
  const { tenantId, credential: ref } = target;
  const who = `Target "${target.displayName}" (tenant ${tenantId})`;
  let credential: TokenCredential;
  switch (ref.kind) {
    case "client-secret": {
      const secret = env[ref.secretEnv!];
      if (!secret) throw new ConfigurationError(`${who}: the environment variable ${ref.secretEnv} holding its client secret is not set.`);
      credential = new ClientSecretCredential(tenantId, ref.clientId!, secret, { authorityHost });
      break;
    }
    case "client-certificate":
      credential = new ClientCertificateCredential(tenantId, ref.clientId!, { certificatePath: ref.certificatePath! }, { authorityHost });
      break;
    case "workload-identity": {
      const tokenFilePath = ref.tokenFilePath ?? env.AZURE_FEDERATED_TOKEN_FILE;
      if (!tokenFilePath) throw new ConfigurationError(`${who}: workload identity needs a token file; give its path or set AZURE_FEDERATED_TOKEN_FILE.`);
      credential = new WorkloadIdentityCredential({ tenantId, clientId: ref.clientId!, tokenFilePath, authorityHost });
      break;
    }
    case "managed-identity":
      credential = ref.clientId ? new ManagedIdentityCredential({ clientId: ref.clientId }) : new ManagedIdentityCredential();
      break;
    case "azure-cli":
      credential = new AzureCliCredential({ tenantId });
      break;
  }
  return { source: "live", cloud, credential, tenantId };
}

/** The emulator target of a scan target: a token of its tenant, its client ID (if any) as the caller. */
export function emulatorTargetFor(target: ScanTarget, emulator: { url: string; ca: string }): AzureTarget {
  return emulatorTarget({ url: emulator.url, ca: emulator.ca, tenantId: target.tenantId, caller: target.credential.clientId ?? "speech-posture" });
}
