import type { ReactNode } from 'react';

/** A page of the product that is planned but not built yet: says what it will hold. */
export function ComingSoon({ title, children, points }: { title: string; children: ReactNode; points: string[] }) {
  return (
    <>
      <h1>{title}</h1>
      <p className="lead">{children}</p>
      <h2>What will be here</h2>
      <ul>
        {points.map((p) => (
          <li key={p}>{p}</li>
        ))}
      </ul>
      <p className="muted">This page is part of the plan for Switchback and arrives in a later release.</p>
    </>
  );
}
