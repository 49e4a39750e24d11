import type { ControlProps } from '@/components/ui/field';

/** A whole-number input over a number that is NaN while the field is empty (the schema names it). */
export function NumberInput({ control, value, onChange, min, max, step, disabled, unit, width = '7rem' }: { control: ControlProps; value: number | undefined; onChange: (v: number) => void; min?: number; max?: number; step?: number; disabled?: boolean; unit?: string; width?: string }) {
  return (
    <span style={{ display: 'inline-flex', alignItems: 'center', gap: '0.35rem' }}>
      <input
        {...control}
        type="number"
        inputMode="numeric"
        style={{ width }}
        min={min}
        max={max}
        step={step ?? 1}
        disabled={disabled}
        value={value === undefined || Number.isNaN(value) ? '' : value}
        onChange={(e) => onChange(e.target.value.trim() === '' ? Number.NaN : Number(e.target.value))}
      />
      {unit ? <span className="muted">{unit}</span> : null}
    </span>
  );
}
