'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import styles from './shell.module.css';

const ITEMS = [
  { href: '/', label: 'Overview' },
  { href: '/topology', label: 'Topology' },
  { href: '/timeline', label: 'Timeline' },
  { href: '/machines', label: 'Machines' },
  { href: '/services', label: 'Services' },
  { href: '/rollouts', label: 'Rollouts' },
  { href: '/experiments', label: 'Experiments' },
  { href: '/policies', label: 'Policies' },
  { href: '/audit', label: 'Audit' },
  { href: '/settings', label: 'Settings' },
] as const;

const ADMIN_ITEMS = [{ href: '/settings/users', label: 'Users' }] as const;

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
  return (
    <nav aria-label="Main" className={styles.nav}>
      <ul>
        {items.map((item) => (
          <li key={item.href}>
            <Link href={item.href} aria-current={item.href === current ? 'page' : undefined}>
              {item.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
