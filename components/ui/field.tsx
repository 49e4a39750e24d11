import { useId, type ReactNode } from 'react';
import styles from './ui.module.css';

/** Props to spread on the control so the label, hint and error are wired for assistive tech. */
export interface ControlProps {
  id: string;
  className?: string;
  'aria-describedby'?: string;
  'aria-invalid'?: true;
}

interface FieldProps {
  label: string;
  hint?: string;
  /** Messages from the server's field errors (zod), shown under the control. */
  error?: string | string[];
  children: (control: ControlProps) => ReactNode;
}

export function Field({ label, hint, error, children }: FieldProps) {
  const id = useId();
  const errors = (Array.isArray(error) ? error : error ? [error] : []).filter(Boolean);
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors.length ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={styles.field}>
      <label htmlFor={id} className={styles.label}>
        {label}
      </label>
      {children({ id, className: styles.control, 'aria-describedby': describedBy, ...(errors.length ? { 'aria-invalid': true as const } : {}) })}
      {hint ? (
        <span id={hintId} className={styles.hint}>
          {hint}
        </span>
      ) : null}
      {errors.length ? (
        <p id={errorId} className={styles.fieldError}>
          {errors.join(' · ')}
        </p>
      ) : null}
    </div>
  );
}
