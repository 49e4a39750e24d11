import { Badge, type Tone } from '@/components/ui/badge';
import { Table } from '@/components/ui/table';
import type { DocOperation } from './model';
import styles from './api-docs.module.css';

const METHOD_TONE: Record<string, Tone> = { GET: 'info', POST: 'success', PUT: 'warning', PATCH: 'warning', DELETE: 'danger' };

/** One endpoint: method, path, least role, what it does, its parameters, body fields and answers. */
export function OperationCard({ op }: { op: DocOperation }) {
  const headingId = `${op.id}-title`;
  return (
    <article id={op.id} className={styles.op} aria-labelledby={headingId} tabIndex={-1}>
      <h3 id={headingId} className={styles.opHead}>
        <span className={styles.method}>
          <Badge tone={METHOD_TONE[op.method] ?? 'neutral'}>{op.method}</Badge>
        </span>
        <span className={styles.path}>{op.path}</span>
        <Badge tone={op.role === 'public' ? 'neutral' : 'info'}>
          {op.role === 'public' ? 'public: no token' : `${op.role} role or higher`}
        </Badge>
        <a className={styles.anchor} href={`#${op.id}`} aria-label={`Link to ${op.method} ${op.path}`}>
          #
        </a>
      </h3>
      <p className={styles.summary}>{op.summary}</p>
      {op.description ? <p className="muted">{op.description.replace(/\*\*/g, '').replace(/`/g, '')}</p> : null}
      {op.parameters.length ? (
        <>
          <h4 className={styles.sub}>Parameters</h4>
          <Table label={`Parameters of ${op.method} ${op.path}`}>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">In</th>
                <th scope="col">Type</th>
                <th scope="col">Notes</th>
              </tr>
            </thead>
            <tbody>
              {op.parameters.map((p) => (
                <tr key={`${p.in}:${p.name}`}>
                  <th scope="row" className={styles.code}>
                    {p.name}
                    {p.required ? ' *' : ''}
                  </th>
                  <td>{p.in}</td>
                  <td className={styles.code}>{p.type}</td>
                  <td>{p.description}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        </>
      ) : null}
      {op.body ? (
        <>
          <h4 className={styles.sub}>JSON body{op.bodyRequired ? '' : ' (optional)'}</h4>
          <Table label={`Body of ${op.method} ${op.path}`}>
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">Type</th>
                <th scope="col">Rules</th>
              </tr>
            </thead>
            <tbody>
              {op.body.map((f) => (
                <tr key={f.name}>
                  <th scope="row" className={styles.code} style={{ paddingLeft: `${0.75 + f.depth}rem` }}>
                    {f.name}
                    {f.required ? ' *' : ''}
                  </th>
                  <td className={styles.code}>{f.type}</td>
                  <td>{[f.rules, f.description].filter(Boolean).join(' — ')}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        </>
      ) : null}
      <h4 className={styles.sub}>Answers</h4>
      <ul className={styles.statuses} aria-label={`Answers of ${op.method} ${op.path}`}>
        {op.statuses.map((s) => (
          <li key={s.status} title={s.description}>
            <Badge tone={s.status.startsWith('2') || s.status === '304' ? 'success' : 'neutral'}>{s.status}</Badge>
            <span className="visually-hidden">: {s.description}</span>
          </li>
        ))}
      </ul>
    </article>
  );
}
