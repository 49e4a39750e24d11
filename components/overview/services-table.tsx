'use client';

import type { OverviewData } from '@/server/services/topology/topology';
import { Badge } from '@/components/ui/badge';
import { ClampedText } from '@/components/ui/clamped-text';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { Num, NumHead, Table } from '@/components/ui/table';
import { formatCount, formatVersions, registryStatus } from './format';
import styles from './overview.module.css';

type Service = OverviewData['services'][number];

export function ServicesTable({ services, canEdit, onEdit }: { services: Service[]; canEdit: boolean; onEdit: (s: Service) => void }) {
  if (!services.length) {
    return (
      <EmptyState title="No services registered">
        Services appear here when the registry knows them. On a fresh install start Switchback with the demo seed
        (SWITCHBACK_SEED=demo, the default) or register services through a platform adapter.
      </EmptyState>
    );
  }
  return (
    <Table label="Services">
      <thead>
        <tr>
          <th scope="col">Service</th>
          <th scope="col">Description</th>
          <NumHead scope="col">Instances</NumHead>
          <th scope="col">Versions</th>
          <NumHead scope="col">Zones</NumHead>
          <th scope="col">Registry</th>
          {canEdit ? (
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          ) : null}
        </tr>
      </thead>
      <tbody>
        {services.map((s) => {
          const reg = registryStatus(s.version, s.appliedVersion);
          return (
            <tr key={s.id}>
              {/* A plain cell (not a row header) so tests and screen readers find it by its exact name. */}
              <td className={styles.serviceName}>{s.name}</td>
              <td className={styles.description}>{s.description ? <ClampedText text={s.description} /> : <span className="muted">—</span>}</td>
              <Num>{formatCount(s.instances)}</Num>
              <td>{formatVersions(s.byAppVersion)}</td>
              <Num>{formatCount(s.zones)}</Num>
              <td>
                <Badge tone={reg.applied ? 'success' : 'warning'}>{reg.label}</Badge>
              </td>
              {canEdit ? (
                <td>
                  <Button size="small" onClick={() => onEdit(s)} aria-label={`Edit ${s.name}`}>
                    Edit
                  </Button>
                </td>
              ) : null}
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}
