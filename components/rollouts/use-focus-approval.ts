'use client';

import { useSearchParams } from 'next/navigation';
import { useEffect, useRef } from 'react';

/**
 * A link from a webhook (`/rollouts/<id>?approval=<requestId>`) opens the rollout with its
 * approvals panel in view and focused, so the approver lands on the decision. Returns the ref for
 * the panel and what the link asked for, with words when that request is no longer open.
 */
export function useFocusApproval(approvals: ReadonlyArray<{ request: { id: string; state: string } }>, ended: boolean) {
  const wanted = useSearchParams().get('approval');
  const ref = useRef<HTMLElement>(null);
  const done = useRef(false);
  useEffect(() => {
    if (!wanted || done.current || !ref.current) return;
    done.current = true;
    ref.current.scrollIntoView({ block: 'start' });
    ref.current.focus({ preventScroll: true });
  }, [wanted]);
  const target = wanted ? approvals.find((a) => a.request.id === wanted) : undefined;
  const note = !wanted
    ? null
    : !target
      ? 'The approval in your link is not one of this rollout.'
      : target.request.state !== 'open' || ended
        ? `The approval in your link is closed (${ended && target.request.state === 'open' ? 'the rollout no longer waits for it' : target.request.state}).`
        : null;
  return { ref, wanted, note };
}
