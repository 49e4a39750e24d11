'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useTRPC } from '@/components/trpc/client';
import styles from './shell.module.css';

const ITEMS = [
  { href: '/', label: 'Overview' },
  { href: '/topology', label: 'Topology' },
  { href: '/timeline', label: 'Timeline' },
  { href: '/machines', label: 'Machines' },
  { href: '/services', label: 'Services' },
  { href: '/rollouts', label: 'Rollouts' },
  { href: '/experiments', label: 'Experiments' },
  { href: '/safety', label: 'Safety' },
  { href: '/policies', label: 'Policies' },
  { href: '/audit', label: 'Audit' },
  { href: '/api-docs', label: 'API' },
  { href: '/settings', label: 'Settings' },
  { href: '/settings/tokens', label: 'API tokens' },
] as const;

const ADMIN_ITEMS = [
  { href: '/settings/users', label: 'Users' },
  { href: '/settings/webhooks', label: 'Webhooks' },
] as const;

/** The most specific matching item is current (Settings is not current on /settings/users). */
function currentHref(pathname: string, hrefs: readonly string[]): string | undefined {
  return hrefs
    .filter((h) => (h === '/' ? pathname === '/' : pathname === h || pathname.startsWith(`${h}/`)))
    .sort((a, b) => b.length - a.length)[0];
}

export function MainNav({ isAdmin }: { isAdmin: boolean }) {
  const pathname = usePathname();
  const items = isAdmin ? [...ITEMS, ...ADMIN_ITEMS] : [...ITEMS];
  const current = currentHref(pathname, items.map((i) => i.href));
  const waiting = useApprovalsWaiting();
  return (
    <nav aria-label="Main" className={styles.nav}>
      <ul>
        {items.map((item) => (
          <li key={item.href}>
            <Link href={item.href} aria-current={item.href === current ? 'page' : undefined}>
              {item.label}
              {item.href === '/rollouts' && waiting > 0 ? (
                <span className={styles.navCount} title={`${waiting} rollout approval${waiting === 1 ? '' : 's'} waiting for you`}>
                  {waiting}
                  <span className="visually-hidden"> waiting for your approval</span>
                </span>
              ) : null}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/**
 * Open approval requests the signed-in user may decide (rollouts.pendingApprovals). The console's
 * live feed refetches it on every rollout change; the interval covers an expiry no event announces.
 */
function useApprovalsWaiting(): number {
  const trpc = useTRPC();
  const q = useQuery(trpc.rollouts.pendingApprovals.queryOptions(undefined, { refetchInterval: 60_000 }));
  return q.data?.count ?? 0;
}
