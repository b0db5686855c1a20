/**
 * A pipeline policy that records every request the collector's clients send and the response they
 * got, for checking both against Microsoft's specifications.
 */
import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import type { RecordedRequest } from "./specs";

export interface Exchange {
  method: string;
  url: string;
  requestBody?: string;
  status: number;
  responseBody?: string;
}

export function exchangeRecorder(): { policy: PipelinePolicy; exchanges: Exchange[] } {
  const exchanges: Exchange[] = [];
  const policy: PipelinePolicy = {
    name: "conformanceRecorder",
    async sendRequest(request, next) {
      const response = await next(request);
      exchanges.push({
        method: request.method,
        url: request.url,
        requestBody: typeof request.body === "string" ? request.body : undefined,
        status: response.status,
        responseBody: response.bodyAsText ?? undefined,
      });
      return response;
    },
  };
  return { policy, exchanges };
}

/** The request as the service sees it: the emulator serves each Speech data plane under `/speech/{subdomain}`. */
export function asServiceRequest(exchange: Exchange): RecordedRequest {
  const url = new URL(exchange.url);
  return {
    method: exchange.method,
    path: url.pathname.replace(/^\/speech\/[^/]+(?=\/speechtotext\/)/, ""),
    query: url.searchParams,
    body: exchange.requestBody,
  };
}
