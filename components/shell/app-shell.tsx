'use client';

import Link from 'next/link';
import type { ReactNode } from 'react';
import { Badge } from '@/components/ui/badge';
import { DisplayZoneProvider } from '@/components/ui/display-zone';
import { LiveUpdates } from '@/components/live/live-updates';
import { HaltBanner } from '@/components/safety/halt-banner';
import { HaltControl } from '@/components/safety/halt-control';
import { FreezeNotice } from '@/components/safety/freeze-notice';
import { MainNav } from './nav';
import { PlatformBanner } from './platform-banner';
import { SessionUserProvider, type ShellUser } from './session-user';
import { SignOutButton } from './sign-out-button';
import { ThemeSwitch } from './theme-switch';
import { TimeZoneSwitch } from './time-zone-switch';
import styles from './shell.module.css';

export function AppShell({ user, children }: { user: ShellUser; children: ReactNode }) {
  return (
    <SessionUserProvider user={user}>
      <DisplayZoneProvider preference={user.timeZone}>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className={styles.header}>
        <div className={styles.bar}>
          <Link href="/" className={styles.brand}>
            Switchback
          </Link>
          {/* Mounted once for the whole console: one live connection per tab. */}
          <LiveUpdates />
          <span className={styles.spacer} />
          {/* The halt-all lever on every page (operators and up); the banner below while engaged. */}
          <HaltControl />
          <span className={styles.user}>
            <span className="visually-hidden">Signed in as</span>
            <span className={styles.userName} title={user.displayName || undefined}>
              {user.name}
            </span>
            <Badge tone={user.role === 'admin' ? 'warning' : 'info'} label={`Role: ${user.role}`}>
              {user.role}
            </Badge>
          </span>
          <TimeZoneSwitch />
          <ThemeSwitch />
          <SignOutButton />
        </div>
        <MainNav isAdmin={user.role === 'admin'} />
        <PlatformBanner />
        <HaltBanner />
        <FreezeNotice />
      </header>
      <main id="main" tabIndex={-1} className={styles.main}>
        {children}
      </main>
      </DisplayZoneProvider>
    </SessionUserProvider>
  );
}
