'use client';

import type { RouterOutputs } from '@/components/trpc/client';
import { Badge, type Tone } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Table } from '@/components/ui/table';
import { useDisplayZone } from '@/components/ui/display-zone';
import { formatDateTime } from '@/components/ui/format-time';
import styles from './tokens.module.css';

type OwnRow = RouterOutputs['tokens']['list'][number];
type AnyRow = RouterOutputs['tokens']['listAll'][number];
export type TokenRow = OwnRow | AnyRow;

const STATE_TONE: Record<TokenRow['state'], Tone> = { active: 'success', expired: 'warning', revoked: 'neutral' };

/** One table for "my tokens" and "every user's" (with an owner column); revoking opens a confirmation. */
export function TokensTable({ rows, showOwner, onRevoke }: { rows: TokenRow[]; showOwner: boolean; onRevoke: (t: TokenRow) => void }) {
  const zone = useDisplayZone();
  return (
    <Table label={showOwner ? "Every user's API tokens" : 'Your API tokens'}>
      <thead>
        <tr>
          <th scope="col">Name</th>
          {showOwner ? <th scope="col">Owner</th> : null}
          <th scope="col">Prefix</th>
          <th scope="col">Role</th>
          <th scope="col">Created</th>
          <th scope="col">Expires</th>
          <th scope="col">Last used</th>
          <th scope="col">State</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((t) => (
          <tr key={t.id} className={t.state === 'active' ? undefined : styles.inactive}>
            <td>{t.name}</td>
            {showOwner ? <td>{'owner' in t ? t.owner.name : '—'}</td> : null}
            <td className={styles.prefix}>sbt_{t.prefix}_…</td>
            <td>{t.role}</td>
            <td>{formatDateTime(t.createdAt, zone)}</td>
            <td>{formatDateTime(t.expiresAt, zone)}</td>
            <td>{t.lastUsedAt ? `${formatDateTime(t.lastUsedAt, zone)}${t.lastUsedIp ? ` from ${t.lastUsedIp}` : ''}` : <span className="muted">never</span>}</td>
            <td>
              <Badge tone={STATE_TONE[t.state]}>{t.state}</Badge>
              {t.revokedByName ? <span className={`muted ${styles.small}`}> by {t.revokedByName}</span> : null}
            </td>
            <td>
              {t.state === 'revoked' ? null : (
                <Button size="small" variant="danger" aria-label={`Revoke ${t.name}${'owner' in t ? ` of ${t.owner.name}` : ''}`} onClick={() => onRevoke(t)}>
                  Revoke
                </Button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
