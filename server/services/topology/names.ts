// Pages are addressed by name (/services/checkout, /instances/checkout-v1-1); links from before
// that, or pasted from an API answer, carry the row's id. This finds the name for such an id.
import type { Db } from '../../db/client';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The name to redirect to when `param` is the id of a service or instance and not itself a name
 * (a name wins: a service may be called like a UUID); null when there is nothing to redirect.
 */
export async function nameForLegacyId(db: Db, kind: 'service' | 'instance', param: string): Promise<string | null> {
  if (!UUID.test(param)) return null;
  const id = param.toLowerCase();
  if (kind === 'service') {
    if (await db.service.findUnique({ where: { name: param }, select: { id: true } })) return null;
    return (await db.service.findUnique({ where: { id }, select: { name: true } }))?.name ?? null;
  }
  if (await db.instance.findUnique({ where: { name: param }, select: { id: true } })) return null;
  return (await db.instance.findUnique({ where: { id }, select: { name: true } }))?.name ?? null;
}
