/** The litmus report in herd7's shape (`States`, `Positive: P Negative: N`, `Observation NAME …`). */
import type { LitmusResult } from './runLitmus.ts';

export function litmusReport(r: LitmusResult): string[] {
  const out = [
    `Test ${r.test} ${r.condition.startsWith('forall') ? 'Required' : 'Allowed'}`,
    `States ${r.states.length}`,
  ];
  for (const s of r.states)
    out.push(
      `${Object.entries(s.values)
        .map(([k, v]) => `${k}=${v};`)
        .join(' ')}${s.satisfies ? '  (satisfies the condition)' : ''}`,
    );
  const ok = r.condition.startsWith('forall') ? r.observation === 'Always' : r.observation !== 'Never';
  out.push(ok ? 'Ok' : 'No', 'Witnesses', `Positive: ${r.positive} Negative: ${r.negative}`);
  for (const race of r.races)
    out.push(
      `Flag data-race: ${race.first.thread} line ${race.first.line} (${race.first.order} ${race.first.access} of ${race.first.loc}: ${race.first.text}) and ${race.second.thread} line ${race.second.line} (${race.second.order} ${race.second.access}: ${race.second.text}) — ${race.missing}`,
    );
  out.push(
    `Condition ${r.condition}`,
    `Observation ${r.test} ${r.observation} ${r.positive} ${r.negative}`,
    `Executions ${r.executions} (RC11)`,
  );
  return out;
}
