'use client';

import Link from 'next/link';
import { useDisplayZone } from '@/components/ui/display-zone';
import { formatTime } from '@/components/ui/format-time';
import { useSafetyStatus } from './use-safety';
import styles from './safety.module.css';

/**
 * One line under the navigation while a freeze window is in force, so nobody learns of it only
 * from a refusal: which window, until when, what it refuses. Polite: it is news, not an alarm.
 */
export function FreezeNotice() {
  const zone = useDisplayZone();
  const status = useSafetyStatus();
  const active = status.data?.activeFreezes ?? [];
  if (active.length === 0) return null;
  return (
    <div role="status" className={styles.freezeNotice}>
      {active.map((f) => (
        <p key={f.id}>
          <strong>Freeze window “{f.name}”</strong> in force until {formatTime(f.endsAt, zone)}: {[f.appliesToRollouts ? 'rollout traffic increases' : '', f.appliesToExperiments ? 'experiment runs' : ''].filter(Boolean).join(' and ')} are refused unless an approver overrides. {f.reason}{' '}
          <Link href="/safety">Safety</Link>
        </p>
      ))}
    </div>
  );
}
