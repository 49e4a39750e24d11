'use client';

import Link from 'next/link';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { useDisplayZone } from '@/components/ui/display-zone';
import { useSessionUser } from '@/components/shell/session-user';
import { canReleaseHalt, faultProgress, haltHeadline } from './halt-words';
import { ReasonDialog } from './reason-dialog';
import { useHaltCommands, useSafetyStatus } from './use-safety';
import styles from './safety.module.css';

/**
 * The banner on every page while halt-all is engaged: who, when and why (announced once, as an
 * alert), the faults still being removed (a polite status that counts down), and the release for
 * approvers. Viewers and operators see it without a button.
 */
export function HaltBanner() {
  const me = useSessionUser();
  const zone = useDisplayZone();
  const status = useSafetyStatus();
  const { release } = useHaltCommands();
  const [open, setOpen] = useState(false);
  const halt = status.data?.halt;
  if (!halt) return null;
  const close = () => {
    setOpen(false);
    release.reset();
  };
  return (
    <section className={styles.banner} aria-label="Halt-all engaged">
      <div className={styles.bannerText}>
        <p role="alert" className={styles.bannerHeadline}>
          <span className={styles.bannerIcon} aria-hidden="true">■</span> {haltHeadline(halt, zone)}
        </p>
        <p role="status" className={styles.bannerProgress}>
          {faultProgress(halt, zone)} <Link href="/safety">Safety</Link>
        </p>
      </div>
      {canReleaseHalt(me.role) ? (
        <Button
          onClick={() => {
            release.reset();
            setOpen(true);
          }}
        >
          Release halt…
        </Button>
      ) : null}
      <ReasonDialog
        open={open}
        title="Release halt-all"
        confirmLabel="Release halt-all"
        busyLabel="Releasing…"
        busy={release.isPending}
        error={release.error}
        reasonHint="Recorded with the halt, on the timeline and in the audit"
        onConfirm={(reason) => release.mutate({ reason }, { onSuccess: close })}
        onCancel={close}
      >
        <p>
          New experiment runs and rollout steps are allowed again. Rollouts the halt paused <strong>stay paused</strong>: resume each one when you are ready. Experiments the halt stopped are not restarted.
        </p>
      </ReasonDialog>
    </section>
  );
}
