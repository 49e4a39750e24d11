import styles from './ui.module.css';

/** A spinning ring; the label is read by screen readers (the ring itself is decorative). */
export function Spinner({ label }: { label?: string }) {
  return (
    <>
      <span className={styles.spinner} aria-hidden="true" />
      {label ? <span className="visually-hidden">{label}</span> : null}
    </>
  );
}

/** A query's loading state: visible words, announced politely. */
export function Loading({ what }: { what: string }) {
  return (
    <div className={styles.loading} role="status">
      <Spinner /> Loading {what}…
    </div>
  );
}
