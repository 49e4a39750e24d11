'use client';

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { OverviewData } from '@/server/services/topology/topology';
import { useTRPC } from '@/components/trpc/client';
import { useSessionUser } from '@/components/shell/session-user';
import { Button } from '@/components/ui/button';
import { ErrorText } from '@/components/ui/error-text';
import { Loading } from '@/components/ui/spinner';
import { CountCards, InstanceStates } from './count-cards';
import { EditServiceDialog } from './edit-service-dialog';
import { RegionTree } from './region-tree';
import { ServicesTable } from './services-table';

export function OverviewPage() {
  const trpc = useTRPC();
  const me = useSessionUser();
  const overview = useQuery(trpc.topology.overview.queryOptions());
  const [editing, setEditing] = useState<OverviewData['services'][number] | null>(null);

  return (
    <>
      <h1>Overview</h1>
      {overview.isPending ? <Loading what="the fleet overview" /> : null}
      {overview.isError ? (
        <ErrorText error={overview.error} action={<Button size="small" onClick={() => void overview.refetch()}>Try again</Button>} />
      ) : null}
      {overview.data ? (
        <>
          <section aria-labelledby="fleet-heading">
            <h2 id="fleet-heading" className="visually-hidden">
              Fleet size
            </h2>
            <CountCards counts={overview.data.counts} />
          </section>
          <section aria-labelledby="states-heading">
            <h2 id="states-heading">Instances by admin state</h2>
            <InstanceStates byState={overview.data.instancesByState} />
          </section>
          <section aria-labelledby="services-heading">
            <h2 id="services-heading">Services</h2>
            <ServicesTable services={overview.data.services} canEdit={me.role === 'admin'} onEdit={setEditing} />
          </section>
          <section aria-labelledby="regions-heading">
            <h2 id="regions-heading">Regions and zones</h2>
            <RegionTree regions={overview.data.regions} />
          </section>
        </>
      ) : null}
      <EditServiceDialog service={editing} onClose={() => setEditing(null)} />
    </>
  );
}
