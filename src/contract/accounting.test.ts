import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KernelMeta, unit } from '../../impl/meta/frameMeta.ts';
import { accountingViolations } from '../../spec/frame/accounting.ts';
import { frameFromRaw } from '../../spec/frame/Frame.ts';
import { initialRegion } from '../../spec/meta/MetaRegionOwners.ts';
import { modelParams, PAGE_SIZE } from '../../spec/vocab.ts';
import { accountingChecks, accountingState, HandleStore, LiveIds, type FrameHandle } from './accounting.ts';
import { CheckedFrameLayer } from './CheckedFrameLayer.ts';
import { coverageEnabled, setCoverageEnabled } from './coverage.ts';

const P = 0x3000;
const I = P / PAGE_SIZE;
const make = () => new CheckedFrameLayer({ maxPaddr: 0x10_0000, mode: 'collect' });

describe('LiveIds', () => {
  it('answers as a set of ids over any run of adds in order, deletes and lookups (the window sliding and growing)', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('add' as const), n: fc.integer({ min: 1, max: 900 }) }),
      fc.record({ kind: fc.constant('delete' as const), back: fc.nat(5000) }),
      fc.record({ kind: fc.constant('has' as const), back: fc.nat(5000) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const live = new LiveIds();
        const model = new Set<number>();
        let next = 1;
        for (const o of ops) {
          if (o.kind === 'add') for (let k = 0; k < o.n; k++) (live.add(next), model.add(next++));
          else {
            const id = next - 1 - o.back;
            if (o.kind === 'delete') expect(live.delete(id)).toBe(model.delete(id));
            else expect(live.has(id)).toBe(model.has(id));
          }
          expect(live.size).toBe(model.size);
        }
        for (let id = 0; id <= next; id++) expect(live.has(id)).toBe(model.has(id));
      }),
      { numRuns: 200 },
    );
  });
});

describe('HandleStore', () => {
  it('counts live handles per frame and refuses to consume a handle twice', () => {
    const s = new HandleStore();
    const a = s.mintFrame(I);
    const b = s.mintFrame(I);
    const u = s.mintUnique(4, { metaOwn: { type: 'KernelMeta' }, slotIndex: 4 });
    expect([s.handles.get(P), s.uniques.get(0x4000), s.size]).toEqual([2, 1, 3]);
    expect(s.consume(a)).toBe(true);
    expect(s.consume(a)).toBe(false);
    expect([s.isLive(a), s.isLive(b), s.handles.get(P)]).toEqual([false, true, 1]);
    s.consume(b);
    s.consume(u);
    s.list(4, 1);
    s.raw(I, 1);
    expect([s.handles.has(P), s.uniques.has(0x4000), s.listed.get(0x4000), s.ptes.get(P)]).toEqual([
      false,
      false,
      1,
      1,
    ]);
  });

  it('accountingChecks is empty on the hot path and one check per clause and frame otherwise', () => {
    const s = new HandleStore();
    s.mintFrame(I);
    const ghost = initialRegion(modelParams());
    const st = accountingState(s, ghost, [I]);
    const was = coverageEnabled();
    setCoverageEnabled(false);
    try {
      expect(accountingChecks(accountingState(new HandleStore(), ghost, [I]), [I], ghost.p)).toEqual([]);
      expect(accountingChecks(st, [I], ghost.p)).toHaveLength(8);
    } finally {
      setCoverageEnabled(was);
    }
  });
});

describe('the accounting invariant in checked runs', () => {
  it('from_raw restoring a reference that was never forgotten: vostd does not object, the accounting does', () => {
    const l = make();
    const f = l.fromUnused(P, unit(KernelMeta)) as FrameHandle;
    l.fromRaw(P);
    // Only framecheck's upstream-origin requires objects at the call (and voids it) ...
    expect(l.violations.map((v) => [v.clause, v.blame])).toEqual([
      ['Frame::from_raw.requires.forgotten_reference', 'caller'],
    ]);
    const origin = frameFromRaw.requires.find((c) => c.name === l.violations[0]!.clause)?.origin;
    expect(origin).toBe('upstream');
    // ... and the accounting invariant shows the state it leaves: two handles, one counted reference.
    expect(accountingViolations(accountingState(l.store, l.ghost, [I]), [P])).toEqual([
      {
        frame: P,
        clause: 'accounting.rc_equation',
        expected: 'rc == 2 (handles 2, uniques 0, mappings 0, segments 0)',
        actual: 'rc == 1',
      },
    ]);
    l.drop(f);
  });

  it('a forgotten reference counts as a mapping until it is restored', () => {
    const l = make();
    const f = l.fromUnused(P, unit(KernelMeta)) as FrameHandle;
    l.clone(f);
    l.intoRaw(f);
    expect(l.store.ptes.get(P)).toBe(1);
    l.drop(l.fromRaw(P));
    expect(l.violations).toEqual([]);
  });

  it("reset_as_unused leaves the unique frame's obligation on the ledger: clean_inv never holds again", () => {
    const l = make();
    const u = l.uniqueFromUnused(P, unit(KernelMeta));
    if (typeof u === 'string') throw new Error(u);
    l.resetAsUnused(u);
    expect([l.store.size, l.ghost.frameObligations.len, l.ghost.frameObligations.count(I)]).toEqual([0, 1, 1]);
    expect(l.violations).toEqual([]);
  });

  it('free frames must be unused: an allocator view that still lists an in-use frame as free', () => {
    const l = new CheckedFrameLayer({
      maxPaddr: 0x10_0000,
      mode: 'collect',
      free: () => [{ start: P, end: P + PAGE_SIZE }],
    });
    l.fromUnused(P, unit(KernelMeta));
    expect(l.violations.map((v) => v.clause)).toEqual(['accounting.free_unused']);
  });
});
