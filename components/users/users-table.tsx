'use client';

import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Table } from '@/components/ui/table';
import { isRole, ROLE_OPTIONS } from './roles';
import type { UserAction, UserRow } from './user-action-dialog';
import styles from './users.module.css';
import { useDisplayZone } from '@/components/ui/display-zone';
import { formatDateTime, type DisplayZone } from '@/components/ui/format-time';

function lastLogin(d: Date | null, zone: DisplayZone): string {
  return d ? formatDateTime(d, zone) : 'never';
}

export function UsersTable({ users, meId, onAction }: { users: UserRow[]; meId: string; onAction: (a: UserAction) => void }) {
  const zone = useDisplayZone();
  return (
    <Table label="Users">
      <thead>
        <tr>
          <th scope="col">User name</th>
          <th scope="col">Display name</th>
          <th scope="col">Role</th>
          <th scope="col">Status</th>
          <th scope="col">Last login</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {users.map((u) => (
          <tr key={u.id} className={u.active ? undefined : styles.inactive}>
            <td>{u.name}</td>
            <td>
              {u.displayName || <span className="muted">—</span>}
              {u.id === meId ? <span className="muted"> (you)</span> : null}
            </td>
            <td>
              {/* Choosing a role opens a confirmation; the select shows the saved role until then. */}
              <select
                className={styles.roleSelect}
                aria-label={`Role of ${u.name}`}
                value={u.role}
                onChange={(e) => isRole(e.target.value) && e.target.value !== u.role && onAction({ kind: 'role', user: u, role: e.target.value })}
              >
                {ROLE_OPTIONS.map((r) => (
                  <option key={r} value={r}>
                    {r}
                  </option>
                ))}
              </select>
            </td>
            <td>{u.active ? <Badge tone="success">active</Badge> : <Badge tone="neutral">deactivated</Badge>}</td>
            <td>{lastLogin(u.lastLoginAt, zone)}</td>
            <td>
              <div className={styles.actions}>
                <Button size="small" aria-label={`Reset password of ${u.name}`} onClick={() => onAction({ kind: 'reset', user: u })}>
                  Reset password
                </Button>
                {u.active ? (
                  <Button
                    size="small"
                    variant="danger"
                    aria-label={`Deactivate ${u.name}`}
                    disabled={u.id === meId}
                    title={u.id === meId ? 'You cannot deactivate yourself' : undefined}
                    onClick={() => onAction({ kind: 'active', user: u, active: false })}
                  >
                    Deactivate
                  </Button>
                ) : (
                  <Button size="small" aria-label={`Activate ${u.name}`} onClick={() => onAction({ kind: 'active', user: u, active: true })}>
                    Activate
                  </Button>
                )}
              </div>
            </td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
