/**
 * `LastKeyMap` against a plain `Map` on random runs of gets, sets, deletes and clears over a few keys
 * (so the remembered key is hit, replaced and forgotten): every answer and the entries must agree.
 * The obligation-count memo of `FastPathGhost` is checked against the ledger the same way.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MetaRegion } from '../../impl/meta/MetaSlot.ts';
import { initialRegion, withLedger } from '../../spec/meta/MetaRegionOwners.ts';
import { MultisetLedger, type ObligationLedger } from '../../spec/meta/ObligationLedger.ts';
import { modelParams } from '../../spec/vocab.ts';
import { FastPathGhost } from './fastPathGhost.ts';
import { LastKeyMap } from './lastKeyMap.ts';

type Step = { kind: 'get' | 'has' | 'delete'; k: number } | { kind: 'set'; k: number; v: number } | { kind: 'clear' };

const key = fc.integer({ min: -1, max: 3 });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constantFrom('get' as const, 'has' as const, 'delete' as const), k: key }),
  fc.record({ kind: fc.constant('set' as const), k: key, v: fc.nat(5) }),
  fc.record({ kind: fc.constant('clear' as const) }),
);

describe('LastKeyMap', () => {
  it('answers as a Map on every run', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const m = new LastKeyMap<{ v: number }>();
        const ref = new Map<number, { v: number }>();
        for (const s of steps) {
          if (s.kind === 'get') expect(m.get(s.k)).toBe(ref.get(s.k));
          else if (s.kind === 'has') expect(m.has(s.k)).toBe(ref.has(s.k));
          else if (s.kind === 'delete') expect(m.delete(s.k)).toBe(ref.delete(s.k));
          else if (s.kind === 'set') {
            const v = { v: s.v };
            m.set(s.k, v);
            ref.set(s.k, v);
          } else {
            m.clear();
            ref.clear();
          }
          expect(m.size).toBe(ref.size);
        }
        expect([...m]).toEqual([...ref]);
      }),
      { numRuns: 300 },
    );
  });

  it('forgets the remembered entry on delete and clear (a stale one would answer here)', () => {
    const m = new LastKeyMap<string>();
    m.set(1, 'a');
    expect(m.get(1)).toBe('a');
    m.delete(1);
    expect(m.get(1)).toBeUndefined();
    expect(m.has(1)).toBe(false);
    m.set(2, 'b');
    m.clear();
    expect(m.get(2)).toBeUndefined();
    expect(m.has(2)).toBe(false);
  });
});

describe('FastPathGhost obligation counts', () => {
  it('obligations(i) is the count of the ghost with every pending change written in', () => {
    // steps: a fast call moving obligations at a slot, a full check taking a new ledger, a read
    type G = { kind: 'move'; i: number; obl: number } | { kind: 'ledger'; i: number } | { kind: 'read'; i: number };
    const slot = fc.nat(1);
    const g: fc.Arbitrary<G> = fc.oneof(
      fc.record({ kind: fc.constant('move' as const), i: slot, obl: fc.integer({ min: -1, max: 1 }) }),
      fc.record({ kind: fc.constant('ledger' as const), i: slot }),
      fc.record({ kind: fc.constant('read' as const), i: slot }),
    );
    fc.assert(
      fc.property(fc.array(g, { maxLength: 40 }), (steps) => {
        const region = new MetaRegion({ maxPaddr: 0x10_0000 });
        const lazy = new FastPathGhost(region, region.mem, initialRegion(modelParams({ maxPaddr: 0x10_0000 })));
        // the straightforward count: the ledger as of the last full check plus the pending moves
        let ledger: ObligationLedger = MultisetLedger.EMPTY;
        const pending = new Map<number, number>();
        for (const s of steps) {
          if (s.kind === 'move') {
            // a redeem never takes a count below zero (the fast path redeems only what the ledger holds)
            const now = ledger.count(s.i) + (pending.get(s.i) ?? 0);
            const obl = now + s.obl < 0 ? 0 : s.obl;
            lazy.move(s.i, 1n, obl);
            pending.set(s.i, (pending.get(s.i) ?? 0) + obl);
          } else if (s.kind === 'ledger') {
            const full = lazy.ghost;
            for (const i of [0, 1, 2])
              expect(full.frameObligations.count(i)).toBe(ledger.count(i) + (pending.get(i) ?? 0));
            ledger = full.frameObligations.mint(s.i);
            pending.clear();
            lazy.ghost = withLedger(full, ledger);
          }
          // the slot of the step only: runs on one slot read the memo again and again
          expect(lazy.obligations(s.i)).toBe(ledger.count(s.i) + (pending.get(s.i) ?? 0));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('a ledger value keys its counts: minting or redeeming gives a new ledger', () => {
    // the memo in FastPathGhost.obligations reads `count(i)` once per (ledger, i): sound only while a
    // ledger never changes in place
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.nat(3)), { maxLength: 30 }), (ops) => {
        let l: ObligationLedger = MultisetLedger.EMPTY;
        for (const [mint, i] of ops) {
          const before = [0, 1, 2, 3].map((k) => l.count(k));
          const next = mint ? l.mint(i) : l.redeem(i);
          expect([0, 1, 2, 3].map((k) => l.count(k))).toEqual(before);
          if (next.count(i) !== l.count(i)) expect(next).not.toBe(l);
          l = next;
        }
      }),
    );
  });
});
