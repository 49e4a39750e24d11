import styles from './telemetry.module.css';
import { useDisplayZone } from '@/components/ui/display-zone';
import { formatTime } from '@/components/ui/format-time';

/**
 * The state of a page's live feed in words. Not a live region: it changes every second, and a
 * screen reader announcing each tick would drown everything else.
 */
export function LiveStatus({ status, lastAt, history }: { status: 'idle' | 'connecting' | 'pending' | 'error'; lastAt: number | null; history: boolean }) {
  const zone = useDisplayZone();
  const streaming = status === 'pending';
  const text = streaming ? (history ? 'Streaming the current state' : 'Streaming') : status === 'error' ? 'Reconnecting…' : 'Connecting…';
  return (
    <span className={`${styles.liveStatus} ${streaming ? styles.liveOn : styles.liveOff}`} title={streaming ? 'New ticks arrive every second' : 'The page catches up when the connection is back, without gaps'}>
      {text}
      {lastAt ? <span className={styles.liveAt}> · last tick {formatTime(lastAt, zone)}</span> : null}
    </span>
  );
}
