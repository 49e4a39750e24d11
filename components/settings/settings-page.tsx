'use client';

import Link from 'next/link';
import { useSessionUser } from '@/components/shell/session-user';
import { Badge } from '@/components/ui/badge';
import { AdaptersPanel } from './adapters-panel';
import { ChangePasswordForm } from './change-password-form';
import { SystemHealth } from './system-health';
import { WorkersTable } from './workers-table';
import styles from './settings.module.css';

export function SettingsPage() {
  const me = useSessionUser();
  return (
    <>
      <h1>Settings</h1>
      <div className={styles.grid}>
        <section className={styles.panel} aria-labelledby="account-heading">
          <h2 id="account-heading">Your account</h2>
          <dl className={styles.facts}>
            <dt>User name</dt>
            <dd>{me.name}</dd>
            <dt>Display name</dt>
            <dd>{me.displayName || '—'}</dd>
            <dt>Role</dt>
            <dd>
              <Badge tone="info">{me.role}</Badge>
            </dd>
          </dl>
          <ChangePasswordForm />
          <p>
            <Link href="/settings/tokens">API tokens</Link> — for scripts, pipelines and the CLI.
          </p>
        </section>
        <section className={styles.panel} aria-labelledby="health-heading">
          <h2 id="health-heading">System health</h2>
          <SystemHealth />
          {me.role === 'admin' ? (
            <p>
              <Link href="/settings/users">Manage users</Link>
            </p>
          ) : null}
        </section>
      </div>
      <section aria-labelledby="workers-heading">
        <h2 id="workers-heading">Workers</h2>
        <WorkersTable />
      </section>
      <section aria-labelledby="adapters-heading">
        <h2 id="adapters-heading">Platform adapters</h2>
        <p className="muted">
          The worker that leads telemetry drives the active adapter: it reads telemetry every tick and applies weights, routing and faults
          through it. Capabilities decide what the console offers for that platform.
        </p>
        <AdaptersPanel canOperate={me.role !== 'viewer'} isAdmin={me.role === 'admin'} />
      </section>
    </>
  );
}
