import type { Metadata } from 'next';
import { ComingSoon } from '@/components/pages/coming-soon';
import { requireUser } from '@/app/_server/session';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Rollouts' };

export default async function Page() {
  await requireUser('/rollouts');
  return (
    <ComingSoon
      title="Rollouts"
      points={[
        "Author a rollout: service, stable and canary version, header rules, steps (set weight, pause, approval, analysis).",
        "Run, approve (never by the author), promote, abort and roll back; a preview of the routing each step produces.",
        "Automated analysis of canary against stable (error rate, P95); a failed analysis rolls back by itself.",
        "Approval records with named approvers, a quorum, an expiry and a reason.",
      ]}
    >
      Canary rollouts with header rules, traffic steps, automated analysis and approvals.
    </ComingSoon>
  );
}
