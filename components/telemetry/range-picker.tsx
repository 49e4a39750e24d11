'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { useDisplayZone } from '@/components/ui/display-zone';
import { fromZoneInput, toZoneInput, zoneName } from '@/components/ui/format-time';
import { customRangeError, rangeToQuery, type RangeChoice } from './time-range';
import styles from './telemetry.module.css';

const PRESETS: Array<{ label: string; range: RangeChoice }> = [
  { label: 'Live', range: { kind: 'live' } },
  { label: '1 h', range: { kind: 'last', key: '1h' } },
  { label: '24 h', range: { kind: 'last', key: '24h' } },
];

const same = (a: RangeChoice, b: RangeChoice) => a.kind === b.kind && (a.kind !== 'last' || (b.kind === 'last' && a.key === b.key));

/** Live / 1 h / 24 h / custom; the choice is written to the URL (replace: no history entry per click). */
export function RangePicker({ range }: { range: RangeChoice }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const zone = useDisplayZone();
  const [custom, setCustom] = useState(range.kind === 'custom');
  const [from, setFrom] = useState(() => toZoneInput(range.kind === 'custom' ? range.from : Date.now() - 3600_000, zone));
  const [to, setTo] = useState(() => toZoneInput(range.kind === 'custom' ? range.to : Date.now(), zone));
  const [error, setError] = useState<string | null>(null);

  const go = (r: RangeChoice) => router.replace(`${pathname}${rangeToQuery(r, new URLSearchParams(params.toString()))}`, { scroll: false });

  function apply(e: FormEvent) {
    e.preventDefault();
    const f = fromZoneInput(from, zone);
    const t = fromZoneInput(to, zone);
    const problem = customRangeError(f, t);
    setError(problem);
    if (!problem) go({ kind: 'custom', from: f!, to: t! });
  }

  return (
    <div className={styles.rangeBar}>
      <div role="group" aria-label="Time range" className={styles.segmented}>
        {PRESETS.map((p) => (
          <button
            key={p.label}
            type="button"
            aria-pressed={!custom && same(range, p.range)}
            onClick={() => {
              setCustom(false);
              go(p.range);
            }}
          >
            {p.label}
          </button>
        ))}
        <button type="button" aria-pressed={custom || range.kind === 'custom'} aria-expanded={custom} onClick={() => setCustom(true)}>
          Custom
        </button>
      </div>
      {custom ? (
        <form className={styles.customRange} onSubmit={apply} aria-label="Custom time range">
          <label>
            From ({zoneName(Date.now(), zone)}) <input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} required />
          </label>
          <label>
            To ({zoneName(Date.now(), zone)}) <input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} required />
          </label>
          <Button type="submit" size="small" variant="primary">
            Apply
          </Button>
          {error ? (
            <span role="alert" className={styles.rangeError}>
              {error}
            </span>
          ) : null}
        </form>
      ) : null}
    </div>
  );
}
