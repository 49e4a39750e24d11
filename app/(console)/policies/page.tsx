import type { Metadata } from 'next';
import { ComingSoon } from '@/components/pages/coming-soon';
import { requireUser } from '@/app/_server/session';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Policies' };

export default async function Page() {
  await requireUser('/policies');
  return (
    <ComingSoon
      title="Policies"
      points={[
        "Edit weight, watermark, degradation and breaker policies; every change a new version with author and diff.",
        "A what-if preview that replays recent telemetry through the proposed policy and shows the weights it would produce.",
        "Rollback to any earlier version.",
      ]}
    >
      Versioned scheduler policies: weights, watermarks, degradation and circuit breakers.
    </ComingSoon>
  );
}
