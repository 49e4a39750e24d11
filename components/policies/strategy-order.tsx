import { Button } from '@/components/ui/button';
import styles from './policies.module.css';

type Item = { name: string; enabled: boolean };

/** The order in which strategies decide (SPEC §3.5): move up / down, enable / disable. */
export function StrategyOrder({ value, onChange, disabled }: { value: Item[]; onChange: (v: Item[]) => void; disabled: boolean }) {
  const move = (i: number, d: -1 | 1) => {
    const next = [...value];
    const [x] = next.splice(i, 1);
    next.splice(i + d, 0, x!);
    onChange(next);
  };
  return (
    <ol className={styles.order} aria-label="Strategy order">
      {value.map((s, i) => (
        <li key={s.name}>
          <span>
            {i + 1}. {s.name}
          </span>
          <label>
            <input type="checkbox" checked={s.enabled} disabled={disabled} onChange={(e) => onChange(value.map((x) => (x.name === s.name ? { ...x, enabled: e.target.checked } : x)))} /> enabled
          </label>
          <Button size="small" disabled={disabled || i === 0} onClick={() => move(i, -1)} aria-label={`Move ${s.name} up`}>
            ↑
          </Button>
          <Button size="small" disabled={disabled || i === value.length - 1} onClick={() => move(i, 1)} aria-label={`Move ${s.name} down`}>
            ↓
          </Button>
        </li>
      ))}
    </ol>
  );
}
