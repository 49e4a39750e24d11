import { redirect } from 'next/navigation';
import { db } from '@/server/db/client';
import { nameForLegacyId } from '@/server/services/topology/names';

/** An old link by id (/services/<uuid>) goes to the page by name, keeping its query (range…). */
export async function redirectLegacyId(kind: 'service' | 'instance', param: string, searchParams: Record<string, string | string[] | undefined>): Promise<void> {
  const name = await nameForLegacyId(db(), kind, param);
  if (!name) return;
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(searchParams)) for (const one of Array.isArray(v) ? v : v === undefined ? [] : [v]) query.append(k, one);
  redirect(`/${kind === 'service' ? 'services' : 'instances'}/${encodeURIComponent(name)}${query.size ? `?${query.toString()}` : ''}`);
}
