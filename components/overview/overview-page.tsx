'use client';

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { OverviewData } from '@/server/services/topology/topology';
import { useTRPC } from '@/components/trpc/client';
import { useSessionUser } from '@/components/shell/session-user';
import { QueryGate, useQueryDisplay } from '@/components/ui/query-state';
import { CountCards, InstanceStates } from './count-cards';
import { EditServiceDialog } from './edit-service-dialog';
import { HealthSummary } from './health-summary';
import { RegionTree } from './region-tree';
import { ServicesTable } from './services-table';

export function OverviewPage() {
  const trpc = useTRPC();
  const me = useSessionUser();
  const overview = useQuery(trpc.topology.overview.queryOptions());
  // A failing overview keeps its error on screen between retries (query-state.tsx).
  const view = useQueryDisplay(overview);
  const [editing, setEditing] = useState<OverviewData['services'][number] | null>(null);

  return (
    <>
      <h1>Overview</h1>
      <section aria-labelledby="health-heading">
        <h2 id="health-heading">Fleet health</h2>
        <HealthSummary />
      </section>
      <QueryGate state={view} what="the fleet overview">
        {(data) => (
          <>
            <section aria-labelledby="fleet-heading">
              <h2 id="fleet-heading" className="visually-hidden">
                Fleet size
              </h2>
              <CountCards counts={data.counts} />
            </section>
            <section aria-labelledby="states-heading">
              <h2 id="states-heading">Instances by admin state</h2>
              <InstanceStates byState={data.instancesByState} />
            </section>
            <section aria-labelledby="services-heading">
              <h2 id="services-heading">Services</h2>
              <ServicesTable services={data.services} canEdit={me.role === 'admin'} onEdit={setEditing} />
            </section>
            <section aria-labelledby="regions-heading">
              <h2 id="regions-heading">Regions and zones</h2>
              <RegionTree regions={data.regions} />
            </section>
          </>
        )}
      </QueryGate>
      <EditServiceDialog service={editing} onClose={() => setEditing(null)} />
    </>
  );
}
