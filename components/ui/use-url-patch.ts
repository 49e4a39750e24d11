'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';

/**
 * The page's view lives in its URL: read it with `params`, change it with `go({ key: value })`
 * (null removes a key). Replaces the history entry, so filters do not pile up behind Back.
 */
export function useUrlPatch() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const go = (patch: Record<string, string | null>) => {
    const p = new URLSearchParams(params.toString());
    for (const [k, v] of Object.entries(patch)) if (v === null) p.delete(k);
    else p.set(k, v);
    router.replace(`${pathname}?${p.toString()}`);
  };
  return { params, go };
}
