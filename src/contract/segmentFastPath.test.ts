import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameLayer, type Deallocator } from '../../impl/frame/Frame.ts';
import { Segment } from '../../impl/frame/Segment.ts';
import { KernelMeta, unit } from '../../impl/meta/frameMeta.ts';
import { Ordering } from '../../impl/meta/memory.ts';
import type { MetaRegion } from '../../impl/meta/MetaSlot.ts';
import { segmentClone, segmentDrop, segmentSlice, segmentSplit } from '../../spec/frame/Segment.ts';
import { PAGE_SIZE } from '../../spec/vocab.ts';
import { allMutants, type Mutant, type SegmentOps } from '../mutants/catalog.ts';
import { withSegmentVariant } from '../mutants/engines/structureContracts.ts';
import type { FrameHandle } from './accounting.ts';
import { CheckedFrameLayer } from './CheckedFrameLayer.ts';
import { CheckedSegment, type SegmentHandle } from './CheckedSegment.ts';
import { useFastPathHooks } from './fixtures/fastPathHooks.ts';
import { setFastFormEdit, setFastPathEnabled } from './fastPath.ts';
import type { ContractLevel } from './level.ts';

useFastPathHooks();

const FRAMES = 4;
type Op = {
  kind: 'from_unused' | 'clone' | 'split' | 'slice' | 'drop' | 'frame_in_use' | 'frame_drop' | 'poke' | 'poke_vtable';
  a: number;
  b: number;
  k: number;
};
const opArb: fc.Arbitrary<Op> = fc.record({
  kind: fc.constantFrom(
    ...(['from_unused', 'from_unused', 'clone', 'clone', 'clone', 'split', 'split', 'slice', 'slice'] as const),
    ...(['drop', 'drop'] as const),
    ...(['frame_in_use', 'frame_drop', 'poke', 'poke', 'poke_vtable'] as const),
  ),
  a: fc.nat(FRAMES - 1),
  b: fc.nat(FRAMES),
  k: fc.nat(7),
});

type MakeLayer = (r: MetaRegion, a: Deallocator) => FrameLayer;

/** Counts stored behind the layer's back (`poke`), so that sequences reach every clause's failure. */
const POKES: readonly bigint[] = [0n, 1n, 2n, 3n, 4n, 2n ** 64n - 2n, 2n ** 64n - 1n, 2n ** 63n];

/** A frame layer whose `inc_frame_ref_count` also does `extra` after the real one. */
const incAlso =
  (extra: (l: FrameLayer, paddr: number) => void): MakeLayer =>
  (r, a) =>
    new (class extends FrameLayer {
      override incFrameRefCount(paddr: number): void {
        super.incFrameRefCount(paddr);
        extra(this, paddr);
      }
    })(r, a);

/** A frame layer whose `Frame::drop` is `body(layer, slot, the real drop, the deallocator)`. */
const dropAs =
  (body: (l: FrameLayer, slot: number, drop: () => boolean, sink: Deallocator) => boolean): MakeLayer =>
  (r, a) =>
    new (class extends FrameLayer {
      override drop(slot: number): boolean {
        return body(this, slot, () => super.drop(slot), a);
      }
    })(r, a);

/** The count word of slot `i` of `l`'s region, with its memory. */
const countOf = (l: FrameLayer, i: number) => [l.region.mem, l.region.refCountWord(i)] as const;

/** A segment clone one frame short (its range), every frame's count still raised. */
function cloneShort(this: Segment): Segment {
  const c = CLONE.call(this);
  const [a, b] = [c.startPaddr, c.endPaddr];
  return b - a <= PAGE_SIZE ? c : (Reflect.construct(Segment, [c.layer, a, b - PAGE_SIZE]) as Segment);
}
const CLONE = Segment.prototype.clone;

/** A slice that raises the counts it should but hands out a segment one frame short at the `front` or the back. */
const sliceShort =
  (base: SegmentOps, front: boolean): SegmentOps['slice'] =>
  (seg, range) => {
    const part = base.slice(seg, range);
    const [a, b] = [part.startPaddr, part.endPaddr];
    if (b - a <= PAGE_SIZE) return part;
    const [s, e] = front ? [a + PAGE_SIZE, b] : [a, b - PAGE_SIZE];
    return Reflect.construct(Segment, [part.layer, s, e]) as typeof part;
  };

/** A split whose halves meet one page late (split_spec, the refinement): the right half loses its first frame. */
const splitLate =
  (base: SegmentOps): SegmentOps['split'] =>
  (seg, offset) => {
    const [a, b] = base.split(seg, offset);
    return b.endPaddr - b.startPaddr <= PAGE_SIZE ? [a, b] : [a, base.split(b, PAGE_SIZE)[1]];
  };

type Subject = Readonly<{ name: string; layer?: MakeLayer; mutant?: Mutant; clone?: (this: Segment) => Segment }>;
const SEEDED: Subject[] = [
  // A segment clone's rc_inc: two references per frame; one more at the next slot (outside the segment, sometimes).
  { name: 'inc twice', layer: incAlso((l, paddr) => void l.region.incRefCount(paddr / PAGE_SIZE)) },
  {
    name: 'inc touches neighbour',
    layer: incAlso((l, paddr) => {
      const [mem, w] = countOf(l, (paddr / PAGE_SIZE + 1) % FRAMES);
      mem.fetchAdd(w, 1n, Ordering.Relaxed);
    }),
  },
  // A segment drop's rc_dec: a drop that is not the last releases two references.
  {
    name: 'drop twice',
    layer: dropAs((l, slot, drop) => {
      const last = drop();
      const [mem, w] = countOf(l, slot);
      if (!last && l.region.refCount(slot) > 1n) mem.fetchSub(w, 1n, Ordering.Release);
      return last;
    }),
  },
  // Only counts may move: a drop that also writes the slot's `in_list` word (a plain write).
  {
    name: 'drop writes in_list',
    layer: dropAs((l, slot, drop) => {
      const { layout, mem } = l.region;
      if (layout.inList >= 0) mem.writePlain(slot * layout.wordsPerSlot + layout.inList, 0n);
      return drop();
    }),
  },
  // dealloc: a non-last drop that also returns the frame to the allocator.
  {
    name: 'drop deallocs early',
    layer: dropAs((_l, slot, drop, sink) => {
      const last = drop();
      if (!last) sink.dealloc(slot * PAGE_SIZE, PAGE_SIZE);
      return last;
    }),
  },
  { name: 'clone short', clone: cloneShort },
  {
    name: 'split late',
    mutant: {
      name: 'split late',
      description: 'the halves meet one page late',
      target: 'segment',
      segment: (base) => ({ ...base, split: splitLate(base) }),
    },
  },
];
const segmentVariant = (name: string, segment: NonNullable<Mutant['segment']>): Subject => ({
  name,
  mutant: { name, description: name, target: 'segment', segment },
});
SEEDED.push(
  segmentVariant('slice short at the front', (base) => ({ ...base, slice: sliceShort(base, true) })),
  segmentVariant('slice short at the back', (base) => ({ ...base, slice: sliceShort(base, false) })),
);
const MUTANTS: readonly Subject[] = allMutants()
  .filter((m) => (m.target === 'frame' && m.layer !== undefined) || (m.target === 'segment' && m.segment))
  .map((m) => (m.layer !== undefined ? { name: m.name, layer: m.layer } : { name: m.name, mutant: m }));

/** `args` with every function-valued field replaced by a marker (functions compare by identity). */
function withoutFunctions(args: unknown): unknown {
  if (typeof args !== 'object' || args === null) return args;
  return Object.fromEntries(Object.entries(args).map(([k, v]) => [k, typeof v === 'function' ? '<function>' : v]));
}

/** What a sequence of calls leaves (collect mode), with the fast path on or off. */
function outcome(ops: readonly Op[], fast: boolean, level: ContractLevel, s: Subject, accounting: boolean) {
  setFastPathEnabled(fast);
  const run = () => {
    const c = new CheckedFrameLayer({
      maxPaddr: FRAMES * PAGE_SIZE,
      refCountMax: 4n,
      mode: 'collect',
      level,
      accounting,
      ...(s.layer !== undefined && { makeLayer: s.layer }),
    });
    const segs = new CheckedSegment(c);
    const held: SegmentHandle[] = [];
    const frames: FrameHandle[] = [];
    const dealloc: (readonly number[])[] = [];
    const pick = <T>(xs: T[], k: number): T => xs.splice(k % xs.length, 1)[0]!;
    // Every sequence starts from two segments, over the first frame and over the others.
    for (const [start, end] of [
      [0, 1],
      [1, FRAMES],
    ] as const) {
      const r = segs.fromUnused({ start: start * PAGE_SIZE, end: end * PAGE_SIZE }, () => unit(KernelMeta));
      if (typeof r !== 'string') held.push(r);
    }
    for (const op of ops) {
      try {
        if (op.kind === 'poke') c.tracking.base.store(c.impl.refCountWord(op.a), POKES[op.k]!, Ordering.SeqCst);
        else if (op.kind === 'poke_vtable')
          c.tracking.base.writePlain(op.a * c.impl.layout.wordsPerSlot + c.impl.layout.vtable, BigInt(op.k));
        else if (op.kind === 'from_unused') {
          const end = op.a + 1 + (op.b % (FRAMES - op.a));
          const r = segs.fromUnused({ start: op.a * PAGE_SIZE, end: end * PAGE_SIZE }, () => unit(KernelMeta));
          if (typeof r !== 'string') held.push(r);
        } else if (op.kind === 'frame_in_use') {
          const r = c.fromInUse(op.a * PAGE_SIZE);
          if (typeof r !== 'string') frames.push(r);
        } else if (op.kind === 'frame_drop') {
          if (frames.length > 0) c.drop(pick(frames, op.k));
        } else if (held.length > 0) {
          if (op.kind === 'clone') held.push(segs.clone(held[op.k % held.length]!));
          else if (op.kind === 'slice') {
            // Mostly offsets inside the segment; sometimes any (a bad one aborts).
            const h = held[op.k % held.length]!;
            const r = segs.rangeOf(h)!;
            const n = (r.end - r.start) / PAGE_SIZE;
            const [lo, hi] =
              op.k === 7 ? [op.a, op.b] : [op.a % (n + 1), (op.a % (n + 1)) + (op.b % (n + 1 - (op.a % (n + 1))))];
            held.push(segs.slice(h, { start: lo * PAGE_SIZE, end: hi * PAGE_SIZE }));
          } else if (op.kind === 'drop') dealloc.push(segs.drop(pick(held, op.k)));
          else {
            // Mostly an offset strictly inside the segment; sometimes any (a bad one aborts).
            const h = pick(held, op.k);
            const r = segs.rangeOf(h);
            const n = r === undefined ? 0 : (r.end - r.start) / PAGE_SIZE;
            const at = op.k === 0 || n < 2 ? op.b : 1 + (op.b % (n - 1));
            held.push(...segs.split(h, at * PAGE_SIZE));
          }
        }
      } catch {
        break; // an abort ends the run, as in the engine
      }
    }
    return {
      // A from_unused call's arguments hold the checked layer's metadata function, made per call.
      violations: c.violations.map((v) => ({ ...v, args: withoutFunctions(v.args) })),
      ghost: c.ghost,
      handles: [...c.store.handles],
      segments: [...c.liveSegments.values()],
      dealloc,
    };
  };
  if (s.mutant !== undefined) return withSegmentVariant(s.mutant, run);
  if (s.clone === undefined) return run();
  Segment.prototype.clone = s.clone;
  try {
    return run();
  } finally {
    Segment.prototype.clone = CLONE;
  }
}

const SUBJECTS: readonly Subject[] = [{ name: 'real' }, ...SEEDED, ...MUTANTS];

/** The first sequence on which the fast path and the full check disagree, over every subject and level. */
function firstDifference(runs: number, subjects = SUBJECTS): string | undefined {
  for (const accounting of [true, false])
    for (const level of ['full', 'cheap', 'sample:3'] as const)
      for (const s of subjects) {
        const r = fc.check(
          fc.property(fc.array(opArb, { maxLength: 16 }), (ops) => {
            expect(outcome(ops, true, level, s, accounting)).toEqual(outcome(ops, false, level, s, accounting));
          }),
          { numRuns: runs, seed: 7 },
        );
        if (r.failed)
          return `${s.name} at level ${level} (accounting ${accounting}): ${fc.stringify(r.counterexample)}`;
      }
  return undefined;
}

/** The Segment calls whose fast form accepted them (its refinement held) while `body` ran. */
function acceptedCalls(body: () => void): string[] {
  const seen: string[] = [];
  setFastFormEdit((name, form) => ({
    ...form,
    refinement: (f: never) => {
      const ok = form.refinement(f);
      if (ok && name.startsWith('Segment::')) seen.push(name);
      return ok;
    },
  }));
  try {
    body();
  } finally {
    setFastFormEdit(undefined);
  }
  return seen;
}

describe('Segment::split, slice, clone and drop on their footprint', () => {
  it('have a fast form for every clause of their tables', () => {
    const c = new CheckedFrameLayer({ maxPaddr: PAGE_SIZE });
    let specialized = 0;
    setFastFormEdit((name, form) => (name.startsWith('Segment::') && specialized++, form));
    new CheckedSegment(c);
    expect(specialized).toBe(4);
  });

  it('take the fast path on the real layer: clone, split and the drops of both halves', () => {
    const seen = acceptedCalls(() => {
      const c = new CheckedFrameLayer({ maxPaddr: FRAMES * PAGE_SIZE, level: 'full' });
      const segs = new CheckedSegment(c);
      const s = segs.fromUnused({ start: 0, end: 2 * PAGE_SIZE }, () => unit(KernelMeta));
      if (typeof s === 'string') throw new Error(s);
      const [a, b] = segs.split(segs.clone(s), PAGE_SIZE);
      segs.drop(a);
      segs.drop(segs.slice(b, { start: 0, end: PAGE_SIZE }));
      segs.drop(b);
      expect(c.violations).toEqual([]);
    });
    const [clone, split, drop, slice] = [segmentClone.name, segmentSplit.name, segmentDrop.name, segmentSlice.name];
    expect(seen).toEqual([clone, split, drop, slice, drop, drop]);
  });

  it('report exactly what the full check reports (real layer, seeded bugs, frame and segment mutants; full, cheap, sample)', () => {
    expect(firstDifference(60)).toBeUndefined();
  });
});

/** The fast form's predicates of `op`, each with the clauses it decides (clauses sharing one are one fact). */
function predicateGroups(op: string): string[][] {
  const form = new Map<unknown, string[]>();
  let clauses: Readonly<Record<string, unknown>> = {};
  setFastFormEdit((name, f) => (name === op && (clauses = f.clauses), f));
  new CheckedSegment(new CheckedFrameLayer({ maxPaddr: PAGE_SIZE }));
  setFastFormEdit(undefined);
  for (const [name, pred] of Object.entries(clauses)) form.set(pred, [...(form.get(pred) ?? []), name]);
  return [...form.values()];
}

/** The first difference once the predicates of `names` in `op`'s fast form always hold. */
function differenceWhenBroken(op: string, names: readonly string[]): string | undefined {
  const broken = Object.fromEntries(names.map((n) => [n, () => true]));
  setFastFormEdit((name, form) => (name !== op ? form : { ...form, clauses: { ...form.clauses, ...broken } }));
  const used = (m: Subject) => m.mutant !== undefined || m.name === 'inc_frame_ref_count_no_overflow_abort';
  const segmentMutants = MUTANTS.filter(used);
  return firstDifference(200, [{ name: 'real' }, ...SEEDED, ...segmentMutants]);
}

const req = (op: string, ns: readonly string[]) => ns.map((n) => `${op}.requires.${n}`);
const ens = (op: string, ns: readonly string[]) => ns.map((n) => `${op}.ensures.${n}`);
const RELATE = ['obligation', 'slots_contain', 'self_addr', 'rc_pos', 'rc_le_max', 'paths_empty', 'usage_frame'];
/** The range's `inv()`, `wf` and `owner.inv()`, and `owners_contain`: see `LEFT_WHY`. */
const RANGE = ['inv.start_aligned', 'inv.end_aligned', 'inv.start_le_end', 'inv.end_le_max', 'wf', 'owner_inv'];
const relate = (op: string) => req(op, [...RELATE.map((n) => `relate_regions.${n}`), 'regions_inv']);
const rangeReqs = (op: string) => req(op, [...RANGE, 'relate_regions.owners_contain']);

/**
 * Per op, the predicate groups whose breaking the comparison must catch (by the fact they decide:
 * predicates that decide one fact mask each other when broken alone), and those left out.
 *
 * Left out everywhere: the range's `inv()` conjuncts, `wf`, `owner.inv()` and `owners_contain` (a live
 * segment's range is one the layer registered, valid and its owner's, and the fast path declines any
 * other), and the ledger clauses (the wrapper's proof code, the same in both paths). Split: the halves'
 * `invariants` are broken with the region-unchanged clauses (both read that nothing was written, and
 * once nothing was, `split_spec` and the requires imply them). Drop: `last_ref_init` (a last drop
 * goes to the full check: `rc_dec` answers false on any count 1) and `slots_unchanged` (implied by
 * `rc_dec`, which reads that only counts moved). Clone: `safe_slot` (a valid range ends at or below
 * MAX_PADDR), `slots_contain` (implied by `regions_inv`), `not_panic_cond` (implied by `rc_below_max`),
 * `res_inv` (implied by `range`: the segment's own range is valid). Slice: the offsets' alignment and
 * order (the implementation aborts on bad ones, so no call returns with them), `r_inv` (implied by
 * `r_start`, `r_end` and `within`); `slots_unchanged` and `domain` are broken with `rc_inc` (all read
 * that only counts moved), the bounds clauses together with `final_inv` (a slice past the end or over a
 * saturated page returns only from a wrong implementation, which breaks them all; below saturation
 * `final_inv` follows from `regions_inv` and `rc_inc`).
 */
const GROUPS: readonly (readonly [string, readonly (readonly string[])[], readonly string[]])[] = [
  [
    segmentSplit.name,
    [
      relate('Segment::split'),
      ens('Segment::split', ['slots_unchanged', 'owners_unchanged', 'left_invariants', 'right_invariants']),
      ens('Segment::split', ['split_spec']),
      ens('Segment::split', ['aborts_exactly']),
    ],
    [...rangeReqs('Segment::split'), ...ens('Segment::split', ['obligations_unchanged'])],
  ],
  [
    segmentDrop.name,
    [
      [...relate('Segment::drop'), ...ens('Segment::drop', ['final_inv'])],
      ens('Segment::drop', ['rc_dec']),
      ens('Segment::drop', ['dealloc']),
    ],
    [
      ...rangeReqs('Segment::drop'),
      ...req('Segment::drop', ['last_ref_init']),
      ...ens('Segment::drop', ['obligations', 'slots_unchanged']),
    ],
  ],
  [
    segmentClone.name,
    [
      // A count of 0 breaks the slot's invariant too: rc_pos is broken with it.
      [...req('Segment::clone', ['regions_inv', 'rc_pos']), ...ens('Segment::clone', ['regions_inv'])],
      req('Segment::clone', ['rc_below_max']),
      ens('Segment::clone', ['range']),
      ens('Segment::clone', ['rc_inc']),
    ],
    [
      ...req('Segment::clone', ['inv', 'safe_slot', 'slots_contain', 'not_panic_cond']),
      ...ens('Segment::clone', ['res_inv', 'obligations_unchanged']),
    ],
  ],
  [
    segmentSlice.name,
    [
      relate('Segment::slice'),
      ens('Segment::slice', ['rc_inc', 'slots_unchanged', 'domain']),
      ens('Segment::slice', ['r_start']),
      ens('Segment::slice', ['r_end']),
      ens('Segment::slice', ['within', 'r_end_le', 'not_saturated', 'aborts_exactly', 'final_inv']),
    ],
    [
      ...rangeReqs('Segment::slice'),
      ...ens('Segment::slice', ['start_aligned', 'end_aligned', 'ordered', 'r_inv', 'obligations_unchanged']),
    ],
  ],
];

describe.each(GROUPS)('a broken %s fast form is caught by the comparison', (op, groups, left) => {
  it('the groups and the left-out predicates are every predicate, once', () => {
    const all = predicateGroups(op).flat();
    expect([...groups.flat(), ...left].sort()).toEqual(all.sort());
  });

  it.each(groups.map((g) => g.join(' + ')))('broken to always hold at %s', (broken) => {
    expect(differenceWhenBroken(op, broken.split(' + '))).toBeDefined();
  });
});
