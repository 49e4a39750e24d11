import type { Metadata } from 'next';
import { ComingSoon } from '@/components/pages/coming-soon';
import { requireUser } from '@/app/_server/session';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Topology' };

export default async function Page() {
  await requireUser('/topology');
  return (
    <ComingSoon
      title="Topology"
      points={[
        "The whole hierarchy as a graph, aggregated at cluster level when large, with drill-down to instances.",
        "Instances coloured by their load-aware weight and degradation level (L0 normal to L3 rerouted).",
        "Edges showing each instance's traffic share.",
      ]}
    >
      Region → Zone → Cluster → Instance as a live graph, to see where traffic goes and which instances lost weight.
    </ComingSoon>
  );
}
