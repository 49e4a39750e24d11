import type { Metadata } from 'next';
import { ComingSoon } from '@/components/pages/coming-soon';
import { requireUser } from '@/app/_server/session';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Experiments' };

export default async function Page() {
  await requireUser('/experiments');
  return (
    <ComingSoon
      title="Experiments"
      points={[
        "Author from templates: delay with jitter, packet loss, HTTP errors, instance kill or drain, CPU stress, buffer saturation.",
        "Target by topology and labels, cap the blast radius, set a duration, abort conditions and an optional schedule.",
        "Run, watch and abort; a halt-all control and freeze windows covering rollouts and experiments together.",
        "A report per layer: P50 / P90 / P99 latency delta, availability against target, and time to self-heal.",
      ]}
    >
      Chaos experiments with a blast-radius cap, abort conditions and guaranteed recovery.
    </ComingSoon>
  );
}
