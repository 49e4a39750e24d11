'use client';

import { useMutation } from '@tanstack/react-query';
import { useTRPC } from '@/components/trpc/client';
import { errorMessage } from '@/components/trpc/errors';
import { useTimeZonePreference } from '@/components/ui/display-zone';
import { zoneName, type TimeZonePreference } from '@/components/ui/format-time';
import styles from './shell.module.css';

/** UTC or the browser's zone for every time in the console; kept on the user, so it follows them. */
export function TimeZoneSwitch() {
  const trpc = useTRPC();
  const { preference, setPreference, zone } = useTimeZonePreference();
  const save = useMutation(trpc.users.setTimeZonePreference.mutationOptions());
  const localName = preference === 'local' ? zoneName(Date.now(), zone) : null;

  function choose(next: TimeZonePreference) {
    const previous = preference;
    setPreference(next);
    save.mutate({ timeZone: next }, { onError: () => setPreference(previous) });
  }

  return (
    <label className={styles.theme} title={save.error ? `Not saved: ${errorMessage(save.error)}` : undefined}>
      <span className="visually-hidden">Times shown in</span>
      <select className={styles.headerSelect} value={preference} onChange={(e) => choose(e.target.value === 'local' ? 'local' : 'utc')} disabled={save.isPending}>
        <option value="utc">Times in UTC</option>
        <option value="local">{localName ? `Local times (${localName})` : 'Local times'}</option>
      </select>
    </label>
  );
}
