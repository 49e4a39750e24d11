import { handleRestRequest } from '@/server/api/rest/dispatch';
import { restOptionsFromEnv } from '@/server/api/rest/defaults';

export const dynamic = 'force-dynamic';

function handler(req: Request) {
  return handleRestRequest(req, restOptionsFromEnv());
}

export { handler as GET, handler as POST, handler as PUT, handler as PATCH, handler as DELETE, handler as HEAD };
