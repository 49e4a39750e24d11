import { createContext } from '@/server/api/context';
import { handleTrpcRequest } from '@/server/api/handler';
import { withApiSecurityHeaders } from '@/server/api/security-headers';
import { env } from '@/server/env';

export const dynamic = 'force-dynamic';

// The security headers are set here as well as by proxy.ts: the web server sends event streams
// to this handler directly, past the proxy (scripts/lib/event-stream-route.mjs).
async function handler(req: Request) {
  return withApiSecurityHeaders(await handleTrpcRequest(req, { createContext, publicUrl: env().SWITCHBACK_PUBLIC_URL }));
}

export { handler as GET, handler as POST };
