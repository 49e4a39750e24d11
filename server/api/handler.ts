import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { appRouter } from './root';
import type { Context } from './trpc';
import { MAX_BATCH, refusalResponse, refuseRequest, TRPC_ENDPOINT } from './request-guard';

export interface HandlerOptions {
  createContext: (req: Request, resHeaders: Headers) => Promise<Context>;
  /** SWITCHBACK_PUBLIC_URL, when set. */
  publicUrl?: string | undefined;
}

/**
 * /api/trpc as the route serves it (app/api/trpc/[trpc]/route.ts) and the HTTP tests call it:
 * forged cross-site changes, non-JSON mutations and oversized batches stop before tRPC parses
 * anything; unexpected errors are logged with their error id by the errorFormatter (trpc.ts).
 */
export async function handleTrpcRequest(req: Request, opts: HandlerOptions): Promise<Response> {
  const refusal = refuseRequest(req, { publicUrl: opts.publicUrl });
  if (refusal) return refusalResponse(refusal);
  return fetchRequestHandler({
    endpoint: TRPC_ENDPOINT,
    req,
    router: appRouter,
    // The guard counts already; this is tRPC's own check behind it.
    maxBatchSize: MAX_BATCH,
    createContext: ({ req, resHeaders }) => opts.createContext(req, resHeaders),
  });
}
