import { db } from '@/server/db/client';
import { getHealth } from '@/server/services/system/health';

export const dynamic = 'force-dynamic';

export async function GET() {
  const health = await getHealth(db());
  return Response.json(health, { status: health.status === 'ok' ? 200 : 503, headers: { 'cache-control': 'no-store' } });
}
