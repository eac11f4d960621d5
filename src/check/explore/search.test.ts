import { describe, expect, it } from 'vitest';
import { buildInstance, type InstanceFlags } from '../instance.ts';
import { mutantByName } from '../../mutants/catalog.ts';
import { explore, runLabels } from './search.ts';
import { subjectOf } from '../../subjects/resolve.ts';
import { minimize } from '../minimize.ts';

const limits = { maxStates: 2_000_000, timeLimitMs: 60_000, maxMemoryBytes: 4 * 2 ** 30 };
const inst = (f: InstanceFlags) => buildInstance(f, (n) => mutantByName(n) !== undefined);
const base = { frames: 2, threads: 2, depth: 2, ops: 'from_unused,from_in_use,drop', refCountMax: 2 } as const;
const show = (labels: readonly { t: number; op: string | undefined; frame: number }[]) =>
  labels.map((l) => `T${l.t}:${l.op ?? 'step'}${l.op !== undefined && l.frame >= 0 ? `@${l.frame}` : ''}`).join(' ');

/** The minimized counterexample of a mutant on an instance. */
function killed(flags: InstanceFlags) {
  const i = inst(flags);
  const subject = subjectOf(i);
  const r = explore(i, { limits, ...(subject && { subject }) });
  if (r.verdict !== 'violation') throw new Error(`not killed: ${r.verdict}`);
  const m = minimize(i, runLabels(i, r.violation.labels, true, subject), limits, subject);
  return { property: m.run.finding!.property, trace: show(m.run.labels), threads: m.inst.threads };
}

describe('explore on the correct implementation', () => {
  it.each(['current', 'legacy'] as const)('finds no violation (%s protocol)', (variant) => {
    expect(explore(inst({ ...base, variant }), { limits }).verdict).toBe('ok');
  });

  it('finds no violation with unique frames and every conversion', () => {
    const ops = 'from_unused,from_unused_unique,from_in_use,clone,drop,into_shared,try_into_unique,drop_unique';
    expect(explore(inst({ frames: 1, threads: 2, depth: 2, ops, refCountMax: 3 }), { limits }).verdict).toBe('ok');
  });

  it('reaches the overflow abort where may_panic allows it, without reporting it', () => {
    const r = explore(
      inst({ frames: 1, threads: 1, program: '0:from_unused,from_in_use,from_in_use', refCountMax: 2 }),
      { limits },
    );
    expect(r.verdict).toBe('ok');
  });

  it('visits fewer states with persistent sets, prunes with sleep sets, and fewer with symmetry', () => {
    const none = explore(inst({ ...base, symmetry: false, por: false }), { limits });
    const por = explore(inst({ ...base, symmetry: false, por: true }), { limits });
    const sleep = explore(inst({ ...base, symmetry: false, por: true }), { limits, sleepSets: true });
    const sym = explore(inst({ ...base, symmetry: true, por: false }), { limits });
    expect(por.states).toBeLessThan(none.states);
    expect(por.reductions.ampleStates).toBeGreaterThan(0);
    expect(por.reductions.sleepPruned).toBe(0);
    expect(sleep.reductions.sleepPruned).toBeGreaterThan(0);
    expect(sleep.verdict).toBe('ok');
    expect(sym.states).toBeLessThan(none.states / 2);
    const both = explore(inst({ ...base, symmetry: true, por: true }), { limits });
    expect(both.states).toBeLessThan(sym.states);
  });

  it('stops gracefully at --max-memory: the fingerprint table does not grow past it, fills to 7/8, stops', () => {
    const big = inst({ ...base, threads: 3, depth: 3 });
    // The table's first growth (2^16 slots, at 43,690 states) is refused (the heap alone exceeds 1
    // byte): the table fills on to 57,344 fingerprints and stops there, unless the memory reading
    // every 2 s stops the search first (on a slow machine).
    const r = explore(big, { limits: { ...limits, maxMemoryBytes: 1 } });
    expect(r.verdict === 'incomplete' && r.reason).toBe('--max-memory reached');
    expect(r.states).toBeLessThanOrEqual(57_344);
    expect(r.states).toBeGreaterThan(0);
  });

  it('stops gracefully at --max-states with partial statistics', () => {
    const r = explore(inst(base), { limits: { ...limits, maxStates: 50 } });
    expect(r.verdict).toBe('incomplete');
    expect(r.states).toBe(50);
  });
});

describe('explore kills the mutants with their minimal traces', () => {
  it('from_in_use accepting 0: the 3-step race (claim CAS to 0, load 0, CAS 0→1)', () => {
    expect(killed({ ...base, mutant: 'from_in_use_accepts_zero' })).toEqual({
      property: 'linearizability.from_in_use',
      trace: 'T0:from_unused@0 T1:from_in_use@0 T1:step',
      threads: 2,
    });
  });

  it('no abort at REF_COUNT_MAX: the count enters the illegal band', () => {
    expect(killed({ ...base, threads: 1, depth: 3, mutant: 'no_overflow_abort' })).toEqual({
      property: 'MetaSlotOwner::inv.illegal_band',
      trace: 'T0:from_unused@0 T0:step T0:from_in_use@0 T0:step T0:from_in_use@0 T0:step',
      threads: 1,
    });
  });

  it('UNUSED published before the metadata is dropped: seen inside the drop step', () => {
    expect(killed({ ...base, mutant: 'unused_before_meta_drop' })).toEqual({
      property: 'MetaSlotOwner::inv.unused',
      trace: 'T0:from_unused@0 T0:step T0:drop@0 T0:step',
      threads: 1,
    });
  });

  it('a CAS that never succeeds: a livelock lasso', () => {
    expect(killed({ ...base, mutant: 'acquire_cas_expects_wrong_value' })).toEqual({
      property: 'livelock',
      trace: 'T0:from_unused@0 T0:step T0:from_in_use@0 T0:step T0:step T0:step',
      threads: 1,
    });
  });

  it('gives the same counterexample for the same instance', () => {
    const a = killed({ ...base, threads: 3, mutant: 'from_in_use_accepts_zero' });
    const b = killed({ ...base, threads: 3, mutant: 'from_in_use_accepts_zero' });
    expect(a).toEqual(b);
  });
});
