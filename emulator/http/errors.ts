/**
 * Error bodies as Azure writes them: ARM `{ error: { code, message, details? } }`, with the
 * messages the real services use where the collector classifies by message (network 403s).
 */

export interface ErrorBody {
  error: { code: string; message: string; details?: { code: string; message: string; target?: string }[] };
}

export function armError(code: string, message: string, details?: ErrorBody["error"]["details"]): ErrorBody {
  return details ? { error: { code, message, details } } : { error: { code, message } };
}

export function authorizationFailed(caller: string, action: string, scope: string): ErrorBody {
  return armError(
    "AuthorizationFailed",
    `The client '${caller}' with object id '${caller}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
  );
}

export const SPEECH_PUBLIC_ACCESS_DISABLED = "Public access is disabled. Please configure private endpoint.";
export const SPEECH_FIREWALL_DENIED = "Access denied due to Virtual Network/Firewall rules.";

export function resourceNotFound(resourceId: string): ErrorBody {
  const m = /\/resourceGroups\/([^/]+)\/providers\/([^/]+\/[^/]+)\/([^/]+)/i.exec(resourceId);
  const message = m
    ? `The Resource '${m[2]}/${m[3]}' under resource group '${m[1]}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`
    : `The Resource '${resourceId}' was not found.`;
  return armError("ResourceNotFound", message);
}

export function internalServerError(): ErrorBody {
  return armError(
    "InternalServerError",
    `Encountered internal server error. Diagnostic information: timestamp '${new Date().toISOString()}', tracking id '${crypto.randomUUID()}'.`,
  );
}
