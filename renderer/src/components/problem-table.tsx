import { Badge } from './badge.js';

/** One problem a verification found (shared/contract/ledger.ts); any kind is shown as its text. */
export interface ProblemRow {
  seq: number | null;
  kind: string;
  message: string;
}

/** Every problem a verification found, with its seq and kind, like `custos verify` prints them; nothing when there are none. */
export function ProblemTable({ problems, className, testId }: { problems: readonly ProblemRow[]; className: string; testId?: string }) {
  if (problems.length === 0) return null;
  return (
    <div className={className}>
      <table className="table table--compact" data-testid={testId}>
        <caption className="visually-hidden">Problems found</caption>
        <thead>
          <tr>
            <th scope="col">Seq</th>
            <th scope="col">Kind</th>
            <th scope="col">What is wrong</th>
          </tr>
        </thead>
        <tbody>
          {problems.map((p, i) => (
            <tr key={`${p.seq ?? 'x'}-${p.kind}-${i}`}>
              <td className="num">{p.seq ?? '—'}</td>
              <td>
                <Badge tone="danger">{p.kind}</Badge>
              </td>
              <td>{p.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
