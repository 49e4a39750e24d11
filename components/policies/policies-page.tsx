'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useTRPC } from '@/components/trpc/client';
import { ErrorText } from '@/components/ui/error-text';
import { Loading } from '@/components/ui/spinner';
import { PolicyEditor } from './policy-editor';
import styles from './policies.module.css';
import uiStyles from '@/components/ui/ui.module.css';

const KINDS = [
  { kind: 'weight', label: 'Weight' },
  { kind: 'watermark', label: 'Watermarks & degradation' },
  { kind: 'breaker', label: 'Circuit breaker' },
  { kind: 'strategy', label: 'Strategy order' },
] as const;
type Kind = (typeof KINDS)[number]['kind'];

export function PoliciesPage() {
  const trpc = useTRPC();
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const kind = (KINDS.find((k) => k.kind === params.get('kind'))?.kind ?? 'weight') satisfies Kind;
  const scope = params.get('scope') ?? 'global';
  const list = useQuery(trpc.policies.list.queryOptions());
  const services = useQuery(trpc.telemetry.services.queryOptions());
  const href = (k: string, s: string) => `${pathname}?kind=${k}&scope=${encodeURIComponent(s)}`;
  if (list.isPending) return <Loading what="policies" />;
  if (list.isError) return <ErrorText error={list.error} />;
  const overrides = list.data.filter((p) => p.kind === kind && p.scope !== 'global');
  return (
    <div className={styles.layout}>
      <nav aria-label="Policy kinds" className={styles.side}>
        <ul>
          {KINDS.map((k) => (
            <li key={k.kind}>
              <Link href={href(k.kind, 'global')} aria-current={k.kind === kind ? 'page' : undefined}>
                {k.label}
              </Link>
            </li>
          ))}
        </ul>
        <h2 className={styles.sideHeading}>Scope</h2>
        <ul aria-label="Scopes">
          <li>
            <Link href={href(kind, 'global')} aria-current={scope === 'global' ? 'true' : undefined}>
              Global default
            </Link>
          </li>
          {overrides.map((o) => (
            <li key={o.scope}>
              <Link href={href(kind, o.scope)} aria-current={scope === o.scope ? 'true' : undefined}>
                {o.serviceName} (override v{o.version})
              </Link>
            </li>
          ))}
        </ul>
        <label className={styles.overridePick}>
          <span>Override for a service</span>
          <select
            className={uiStyles.control}
            value={scope.startsWith('service:') ? scope : ''}
            onChange={(e) => e.target.value && router.push(href(kind, e.target.value))}
            aria-label="Override for a service"
          >
            <option value="">Choose a service…</option>
            {(services.data ?? []).map((s) => (
              <option key={s.id} value={`service:${s.id}`}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
      </nav>
      <section className={styles.main}>
        <PolicyEditor key={`${kind}|${scope}`} kind={kind} scope={scope} />
      </section>
    </div>
  );
}
