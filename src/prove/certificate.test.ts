import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildInstance } from '../check/instance.ts';
import { Certificate, certify, differences, invariantsChecked, StateDigest } from './certificate.ts';
import { recheck } from './proveAll.ts';

const inst = (flags: Parameters<typeof buildInstance>[0]) => buildInstance(flags, () => false);

describe('StateDigest', () => {
  it('does not depend on the order the states are visited in', () => {
    const fps = fc.array(fc.tuple(fc.nat({ max: 2 ** 32 - 1 }), fc.nat({ max: 2 ** 32 - 1 })), { maxLength: 30 });
    fc.assert(
      fc.property(fps, (xs) => {
        const digest = (ys: readonly (readonly [number, number])[]) => {
          const d = new StateDigest();
          for (const [hi, lo] of ys) d.add(hi, lo);
          return d.value();
        };
        expect(digest([...xs].reverse())).toEqual(digest(xs));
      }),
    );
  });
  it('changes with one state more', () => {
    const a = new StateDigest();
    a.add(1, 2);
    const b = new StateDigest();
    b.add(1, 2);
    b.add(0, 5);
    expect(b.value()).not.toEqual(a.value());
    expect(a.value()).toEqual({ sum: '0x0000000100000002', xor: '0x0000000100000002' });
  });
});

describe('certify', () => {
  const small = inst({ frames: 1, threads: 2, depth: 2, refCountMax: 2 });
  it('is reproducible, field by field', () => {
    const a = certify('a', '--frames 1', small);
    const b = certify('a', '--frames 1', small);
    expect(a.ok && b.ok).toBe(true);
    if (a.ok && b.ok) expect(differences(a.certificate, b.certificate)).toEqual([]);
  });
  it('names every field that differs', () => {
    const a = certify('a', '--frames 1', small);
    const b = certify('a', '--frames 1 --threads 3', inst({ frames: 1, threads: 3, depth: 2, refCountMax: 2 }));
    if (!a.ok || !b.ok) throw new Error('both runs are complete');
    expect(differences(a.certificate, b.certificate).map((d) => d.split(':')[0])).toEqual(
      expect.arrayContaining(['flags', 'instance', 'states', 'transitions', 'digest']),
    );
  });
  it('certifies nothing when the run stops at a limit', () => {
    const r = certify('a', '', small, { maxStates: 5, timeLimitMs: 10_000, maxMemoryBytes: 2 ** 30 });
    expect(r).toMatchObject({ ok: false, verdict: 'incomplete' });
  });
  it('lists the slot invariant, accounting, and per-op checks of the instance', () => {
    const names = invariantsChecked(inst({ frames: 1, threads: 1, depth: 1, ops: 'alloc,drop' }));
    expect(names).toEqual(
      expect.arrayContaining([
        'MetaSlotOwner::inv.illegal_band',
        'accounting.leak',
        'linearizability.alloc',
        'may_panic.drop',
      ]),
    );
  });
});

describe('reductions', () => {
  const flags = '--frames 2 --threads 2 --depth 2 --ops from_unused,from_in_use,drop';
  const base = inst({ frames: 2, threads: 2, depth: 2, ops: 'from_unused,from_in_use,drop', refCountMax: 2 });
  /** The certificate `flags` make (today's defaults) re-run with the reductions it records. */
  const rerun = (c: Certificate) => recheck({ file: 'a.json', name: 'a', certificate: c }, () => base);
  const made = (i: typeof base, sleepSets = false) => {
    const r = certify('a', flags, i, undefined, sleepSets);
    if (!r.ok) throw new Error('the small instance certifies');
    return r.certificate;
  };
  it('are recorded as settings: symmetry, por and sleep sets', () => {
    expect(made(base).reductions).toMatchObject({ symmetry: true, por: true, sleepSets: false });
    expect(made(base, true).reductions).toMatchObject({ sleepSets: true });
    expect(made({ ...base, por: false, symmetry: false }).reductions).toMatchObject({ symmetry: false, por: false });
  });
  it.each([
    ['without partial-order reduction', { por: false }, false],
    ['without symmetry', { symmetry: false }, false],
    ['with sleep sets', {}, true],
  ])('a certificate made %s is re-run so, not with the defaults', (_name, off, sleepSets) => {
    const c = made({ ...base, ...off }, sleepSets);
    expect(c.states === made(base).states && c.transitions === made(base).transitions).toBe(false);
    expect(rerun(c)).toMatchObject({ status: 'reproduced', states: c.states });
  });
  it('a certificate without sleepSets (recorded before it was a setting) ran without them', () => {
    const { sleepSets: _, ...older } = made(base).reductions;
    expect(rerun({ ...made(base), reductions: older })).toMatchObject({ status: 'reproduced' });
  });
  it('a recorded statistic that differs is named with its key', () => {
    const c = made(base);
    const r = rerun({ ...c, reductions: { ...c.reductions, ampleStates: -1 } });
    expect(r.status).toBe('failed');
    expect(r.differences).toEqual([`reductions.ampleStates: -1 → ${String(c.reductions['ampleStates'])}`]);
  });
});
