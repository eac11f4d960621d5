import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Ordering, type Memory } from '../../impl/meta/memory.ts';
import { newFootprint, readFootprint } from './fastPath.ts';
import { TrackingMemory } from './trackingMemory.ts';

/** Words in a plain array: enough memory for a tracking log. */
function arrayMemory(words: number): Memory {
  const w = new Array<bigint>(words).fill(0n);
  const rmw = (k: number, v: bigint) => ((w[k] = v), undefined);
  return {
    load: (k) => w[k]!,
    store: (k, v) => void rmw(k, v),
    compareExchange: (k, e, d) => {
      const v = w[k]!;
      if (v === e) w[k] = d;
      return v;
    },
    compareExchangeWeak: (k, e, d) => {
      const v = w[k]!;
      if (v === e) w[k] = d;
      return v;
    },
    fetchAdd: (k, d) => {
      const v = w[k]!;
      w[k] = v + d;
      return v;
    },
    fetchSub: (k, d) => {
      const v = w[k]!;
      w[k] = v - d;
      return v;
    },
    fence: () => {},
    readPlain: (k) => w[k]!,
    writePlain: (k, v) => void rmw(k, v),
  };
}

type Access = { kind: 'load' | 'store' | 'cas' | 'add' | 'sub' | 'plain'; word: number; v: number };
const accessArb: fc.Arbitrary<Access> = fc.record({
  kind: fc.constantFrom(
    'load' as const,
    'store' as const,
    'cas' as const,
    'add' as const,
    'sub' as const,
    'plain' as const,
  ),
  word: fc.nat(3),
  v: fc.nat(3),
});

describe('readFootprint', () => {
  it("reads the count at the linearization point and the count left as the tracking log's own readers do", () => {
    fc.assert(
      fc.property(fc.array(accessArb, { maxLength: 12 }), fc.nat(3), (accesses, w) => {
        const t = new TrackingMemory(arrayMemory(4));
        t.reset();
        for (const a of accesses) {
          const v = BigInt(a.v);
          if (a.kind === 'load') t.load(a.word, Ordering.SeqCst);
          else if (a.kind === 'store') t.store(a.word, v, Ordering.SeqCst);
          else if (a.kind === 'cas') t.compareExchange(a.word, v, v + 1n, Ordering.SeqCst);
          else if (a.kind === 'add') t.fetchAdd(a.word, v, Ordering.SeqCst);
          else if (a.kind === 'sub') t.fetchSub(a.word, v, Ordering.SeqCst);
          else t.writePlain(a.word, v);
        }
        const f = newFootprint();
        f.beforeRc = 99n;
        readFootprint(t, w, f, 2);
        const old = t.linearizedOld(w) ?? 99n;
        expect([f.oldRc, f.finalRc]).toEqual([old, t.lastWritten(w) ?? old]);
        expect(f.nothingWritten).toBe(t.writtenWords().size === 0);
        expect(f.onlyRc).toBe([...t.writtenWords()].every((x) => x === w) && t.plainWrites.length === 0);
      }),
      { numRuns: 500 },
    );
  });
});
