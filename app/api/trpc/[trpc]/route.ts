import { createContext } from '@/server/api/context';
import { handleTrpcRequest } from '@/server/api/handler';
import { env } from '@/server/env';

export const dynamic = 'force-dynamic';

function handler(req: Request) {
  return handleTrpcRequest(req, { createContext, publicUrl: env().SWITCHBACK_PUBLIC_URL });
}

export { handler as GET, handler as POST };
