import { db } from '@/server/db/client';
import { getHealth, publicHealth } from '@/server/services/system/health';

export const dynamic = 'force-dynamic';

export async function GET() {
  const health = await getHealth(db());
  return Response.json(publicHealth(health), { status: health.status === 'ok' ? 200 : 503, headers: { 'cache-control': 'no-store' } });
}
