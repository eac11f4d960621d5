/**
 * The weak-memory engine: the mutant's region and frame layer explored under RC11 on the ordering
 * audit's instances. It runs on the mutants that only weak memory can show (`weakMemory`).
 */
import { exploreImplRc11 } from '../../memory/rc11/exploreImpl.ts';
import { AUDIT_INSTANCES } from '../../memory/rc11/orderingAudit.ts';
import type { Mutant } from '../catalog.ts';
import { timed, type EngineResult } from './types.ts';

export function runRc11Engine(m: Mutant): EngineResult | undefined {
  if (m.weakMemory !== true || (m.region === undefined && m.layer === undefined)) return undefined;
  const [found, seconds] = timed(() => {
    for (const [name, programs] of Object.entries(AUDIT_INSTANCES)) {
      const r = exploreImplRc11({
        frames: 1,
        programs,
        variant: 'current',
        refCountMax: 16n,
        ...(m.region && { region: m.region }),
        ...(m.layer && { layer: m.layer }),
      });
      if (r.violation !== undefined) return { name, violation: r.violation };
    }
    return undefined;
  });
  return {
    engine: 'check-rc11',
    killed: found !== undefined,
    ...(found && {
      property: found.violation.kind,
      counterexample: `${found.name}: ${found.violation.message}\n${found.violation.events.join('\n')}`,
    }),
    seconds,
  };
}
