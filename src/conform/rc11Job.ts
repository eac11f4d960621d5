/**
 * The weak-memory job of `conform --memory-model rc11`: the module explored under RC11 on the ordering
 * audit's instances (each a hand-over of a frame between two threads, one of them reading the metadata),
 * so that a missing release or acquire in its orderings shows as a data race on the metadata.
 */
import { exploreImplRc11 } from '../memory/rc11/exploreImpl.ts';
import { AUDIT_INSTANCES } from '../memory/rc11/orderingAudit.ts';
import { OP_TABLE } from '../ops/opTable.ts';
import { protocolOf } from './adapters.ts';
import { subjectOf } from './exploreJob.ts';
import type { ImplementationModule } from './Implementation.ts';

export type Rc11JobOutcome = Readonly<{
  verdict: 'pass' | 'fail' | 'incomplete';
  summary: string;
  details: readonly string[];
}>;

/** Runs every audit instance the module's protocol can run; the first violation fails the job. */
export function rc11Job(m: ImplementationModule, deadline: number): Rc11JobOutcome {
  const protocol = protocolOf(m);
  const subject = subjectOf(m);
  const details: string[] = [];
  let states = 0;
  const runnable = Object.entries(AUDIT_INSTANCES).filter(
    ([, ps]) => protocol === 'current' || ps.every((p) => p.every((s) => !OP_TABLE[s.op].unique)),
  );
  for (const [name, programs] of runnable) {
    const r = exploreImplRc11({
      frames: 1,
      programs,
      variant: protocol,
      refCountMax: 16n,
      layer: subject.layer as never,
      stop: () => performance.now() > deadline,
    });
    states += r.states;
    if (r.violation !== undefined)
      return {
        verdict: 'fail',
        summary: `${r.violation.kind} on '${name}' under RC11`,
        details: [r.violation.message, ...r.violation.events.map((e) => `  ${e}`)],
      };
    details.push(`${name}: ${r.verdict}, ${r.states} states, ${r.executions} executions`);
    if (r.verdict === 'incomplete') return { verdict: 'incomplete', summary: '--time-limit reached', details };
  }
  return { verdict: 'pass', summary: `${runnable.length} instances, ${states} states, no race under RC11`, details };
}
