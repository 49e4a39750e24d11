import type { ButtonHTMLAttributes } from 'react';
import { Spinner } from './spinner';
import styles from './ui.module.css';

type Variant = 'primary' | 'secondary' | 'danger' | 'ghost';

interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: Variant;
  size?: 'normal' | 'small';
  /** While true the button is disabled and shows `busyLabel` (e.g. "Saving…") with a spinner. */
  busy?: boolean;
  busyLabel?: string;
}

const variantClass: Record<Variant, string | undefined> = {
  primary: styles.primary,
  secondary: undefined,
  danger: styles.danger,
  ghost: styles.ghost,
};

export function Button({ variant = 'secondary', size = 'normal', busy = false, busyLabel, className, children, disabled, type, ...rest }: ButtonProps) {
  const classes = [styles.button, variantClass[variant], size === 'small' ? styles.small : undefined, className].filter(Boolean).join(' ');
  return (
    <button {...rest} type={type ?? 'button'} className={classes} disabled={disabled || busy} aria-busy={busy || undefined}>
      {busy ? <Spinner /> : null}
      {busy && busyLabel ? busyLabel : children}
    </button>
  );
}
