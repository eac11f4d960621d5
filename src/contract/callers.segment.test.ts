/**
 * Wrong callers of the checked `Segment` operations. A segment's value and its tracked owner come back
 * together only through `Segment::from_raw(range)`, whose caller vouches for both: every row here
 * restores a forgotten segment with a wrong range or owner (a voided `from_raw`, so the rows run in
 * collect mode), or over frames in a state no segment may cover, then calls the op on it. The report
 * names the op's broken `requires` clauses and blames the caller (see `fixtures/callers.ts`).
 */
import { describe, expect, it } from 'vitest';
import { link } from '../../impl/frame/LinkedList.ts';
import { KernelAbort } from '../../impl/meta/abort.ts';
import { KernelMeta, unit } from '../../impl/meta/frameMeta.ts';
import type { PaddrRange } from '../../spec/frame/accounting.ts';
import { MAX_META_SLOTS, PAGE_SIZE } from '../../spec/vocab.ts';
import type { FrameHandle, UniqueHandle } from './accounting.ts';
import { CheckedFrameLayer } from './CheckedFrameLayer.ts';
import { CheckedSegment, type SegmentHandle } from './CheckedSegment.ts';
import type { ContractMode } from './ContractChecker.ts';
import { coverageEnabled, setCoverageEnabled } from './coverage.ts';
import { callerRows, type Arranged, type CallerRow } from './fixtures/callers.ts';

const P = PAGE_SIZE;
const NR = 16;
const K = unit(KernelMeta);
/** `REF_COUNT_MAX` lowered to 3: a segment frame (count 1) may be cloned, a fourth reference overflows. */
const MAX_RC = 3n;
const OUT = MAX_META_SLOTS;
const range = (start: number, end: number): PaddrRange => ({ start, end });

type World = Readonly<{ l: CheckedFrameLayer; s: CheckedSegment }>;

const frame = (l: CheckedFrameLayer, i: number): FrameHandle => {
  const h = l.fromUnused(i * P, K);
  if (typeof h === 'string') throw new Error(h);
  return h;
};
const unique = (l: CheckedFrameLayer, i: number): UniqueHandle => {
  const h = l.uniqueFromUnused(i * P, link(0n));
  if (typeof h === 'string') throw new Error(h);
  return h;
};
const aborts = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (!(e instanceof KernelAbort)) throw e;
  }
};

/** What slot 5, just past the forgotten segment over frames 1–4, holds. */
const SLOT5 = {
  unused: () => {},
  /** A frame whose count went past `REF_COUNT_MAX`: its last clone aborted and the caller went on. */
  overflowed: ({ l }: World) => {
    const h = frame(l, 5);
    for (let k = 1n; k < MAX_RC; k++) l.clone(h);
    aborts(() => l.clone(h));
  },
  /** A frame at `REF_COUNT_MAX`. */
  atMax: ({ l }: World) => {
    const h = frame(l, 5);
    for (let k = 1n; k < MAX_RC; k++) l.clone(h);
  },
  /** A frame forgotten with `Frame::into_raw`: counted, with no ledger entry. */
  forgotten: ({ l }: World) => void l.intoRaw(frame(l, 5)),
  /** A frame caught between another thread's last `fetch_sub` and its store of `REF_COUNT_UNUSED` (count 0). */
  midTeardown: ({ l }: World) => {
    frame(l, 5);
    l.impl.mem.store(l.impl.refCountWord(5), 0n, 0);
  },
  unique: ({ l }: World) => void unique(l, 5),
  /** A shared frame (count 1) whose `in_list` word a caller wrote through the unchecked region. */
  inListSet: ({ l }: World) => {
    frame(l, 5);
    l.impl.setInList(5, 1n);
  },
} as const;

/**
 * A world with a segment over frames 1–4 forgotten (`into_raw`), slot 5 as `slot5` makes it, and that
 * segment restored as `from_raw(seg)` with the tracked owner `owner` (the caller's claim).
 */
function restored(mode: ContractMode, seg: PaddrRange, owner: PaddrRange, slot5: keyof typeof SLOT5) {
  const l = new CheckedFrameLayer({ maxPaddr: NR * P, refCountMax: MAX_RC, mode });
  const s = new CheckedSegment(l);
  const real = s.fromUnused(range(P, 5 * P), () => K);
  if (typeof real === 'string') throw new Error(real);
  s.intoRaw(real);
  SLOT5[slot5]({ l, s });
  return { l, s, h: s.fromRaw(seg, { range: owner }) };
}

/** One forged restoration: the segment's range, the owner's, what slot 5 holds, and the clauses broken. */
type Forgery = Readonly<{
  wrong: string;
  seg: PaddrRange;
  owner?: PaddrRange;
  slot5?: keyof typeof SLOT5;
  breaks: readonly string[];
}>;

const RELATE_ALL = [
  'obligation',
  'owners_contain',
  'slots_contain',
  'self_addr',
  'rc_pos',
  'rc_le_max',
  'paths_empty',
  'usage_frame',
].map((c) => `relate_regions.${c}`);

/** The forgeries every op requiring `self.invariants(&owner, regions)` is called on. */
const FORGERIES: readonly Forgery[] = [
  {
    wrong: 'restored with a start that is not page aligned',
    seg: range(P + 8, 5 * P),
    breaks: ['inv.start_aligned', 'owner_inv'],
  },
  {
    wrong: 'restored with an end that is not page aligned',
    seg: range(P, 5 * P - 8),
    breaks: ['inv.end_aligned', 'owner_inv'],
  },
  { wrong: 'restored with its start past its end', seg: range(5 * P, P), breaks: ['inv.start_le_end', 'owner_inv'] },
  { wrong: 'an owner for fewer frames than the segment', seg: range(P, 5 * P), owner: range(P, 3 * P), breaks: ['wf'] },
  {
    wrong: 'an owner whose end is not page aligned',
    seg: range(P, 5 * P),
    owner: range(P, 5 * P - 8),
    breaks: ['wf', 'owner_inv'],
  },
  {
    wrong: 'an owner for frames outside slot_owners',
    seg: range(P, 5 * P),
    owner: range(OUT * P, OUT * P + P),
    breaks: ['wf', 'owner_inv', ...RELATE_ALL],
  },
  {
    wrong: 'stretched over a frame whose count overflowed',
    seg: range(P, 6 * P),
    slot5: 'overflowed',
    breaks: ['regions_inv', 'relate_regions.rc_le_max'],
  },
  {
    wrong: 'stretched over a frame forgotten with Frame::into_raw',
    seg: range(P, 6 * P),
    slot5: 'forgotten',
    breaks: ['relate_regions.obligation'],
  },
  {
    wrong: 'stretched over a frame another thread is tearing down (count 0)',
    seg: range(P, 6 * P),
    slot5: 'midTeardown',
    breaks: ['relate_regions.rc_pos'],
  },
  {
    wrong: 'stretched over an unused frame',
    seg: range(P, 6 * P),
    slot5: 'unused',
    breaks: ['relate_regions.obligation', 'relate_regions.rc_le_max', 'relate_regions.usage_frame'],
  },
  {
    wrong: 'stretched over a unique frame',
    seg: range(P, 6 * P),
    slot5: 'unique',
    breaks: ['relate_regions.rc_le_max'],
  },
];

/** The rows of `op` over every forgery; `call` is the op on the restored segment. */
function forgeryRows(
  op: string,
  call: (w: World, h: SegmentHandle) => unknown,
  extra: (f: Forgery) => readonly string[] = () => [],
  forgeries: readonly Forgery[] = FORGERIES,
): CallerRow[] {
  return forgeries.map((f) => ({
    wrong: f.wrong,
    breaks: [...f.breaks, ...extra(f)].map((c) => `Segment::${op}.requires.${c}`),
    collectOnly: true,
    arrange: (mode): Arranged => {
      const { l, s, h } = restored(mode, f.seg, f.owner ?? f.seg, f.slot5 ?? 'unused');
      return {
        violations: () => l.violations,
        call: () => call({ l, s }, h),
        touched: () => l.tracking.log.length > 0,
      };
    },
  }));
}

/** A forgery whose start is not a frame boundary: `next` and `drop` would take a frame at a fractional slot. */
const unaligned = (f: Forgery) => f.seg.start % P !== 0;
/**
 * Past `MAX_PADDR`: only ops that touch no frame beyond the first (split, into_raw, slice of the first,
 * next). The slot one past the last frame has no memory; the view reads its count as 0 (`rc_pos`).
 */
const PAST_MAX: Forgery = {
  wrong: 'restored with its end past MAX_PADDR',
  seg: range(P, (NR + 1) * P),
  breaks: [
    'inv.end_le_max',
    'owner_inv',
    'relate_regions.obligation',
    'relate_regions.rc_pos',
    'relate_regions.rc_le_max',
    'relate_regions.usage_frame',
  ],
};
/** `next` re-reads only its first frame: the slot past the end keeps its default (unused) owner there. */
const PAST_MAX_NEXT: Forgery = { ...PAST_MAX, breaks: PAST_MAX.breaks.filter((c) => c !== 'relate_regions.rc_pos') };
/** Stretched over a frame with count 1 whose `in_list` is set (`last_ref_init` of `drop`). */
const LISTED_SHARED: Forgery = {
  wrong: 'stretched over a shared frame whose in_list a caller set',
  seg: range(P, 6 * P),
  slot5: 'inListSet',
  breaks: ['regions_inv'],
};

/** The owner `into_raw` handed back for the forgotten segment over frames 1–4. */
const FORGOTTEN = range(P, 5 * P);
/**
 * What `<Segment as RCClone>::clone` is called on, with the clauses of its `clone_requires` each breaks.
 * Each is restored with the forgotten segment's own owner and a different range, so that the restoring
 * `from_raw` is voided (`range == owner.range`): its seed requires do not ask that the range was forgotten.
 */
const CLONE_FORGERIES: readonly Forgery[] = [
  {
    wrong: 'restored with a start that is not page aligned',
    owner: FORGOTTEN,
    seg: range(P + 8, 5 * P),
    breaks: ['inv'],
  },
  {
    wrong: 'stretched over a frame whose count overflowed',
    owner: FORGOTTEN,
    seg: range(P, 6 * P),
    slot5: 'overflowed',
    breaks: ['regions_inv', 'rc_below_max', 'not_panic_cond'],
  },
  {
    wrong: 'stretched over a frame another thread is tearing down (count 0)',
    owner: FORGOTTEN,
    seg: range(P, 6 * P),
    slot5: 'midTeardown',
    breaks: ['rc_pos'],
  },
  {
    wrong: 'stretched over a frame at REF_COUNT_MAX',
    owner: FORGOTTEN,
    seg: range(P, 6 * P),
    slot5: 'atMax',
    breaks: ['rc_below_max', 'not_panic_cond'],
  },
  { ...PAST_MAX, owner: FORGOTTEN, breaks: ['inv', 'safe_slot', 'rc_pos', 'rc_below_max', 'not_panic_cond'] },
];

/** A world with frame 5 overflowed, in `mode` (no wrong call before the one under test). */
function overflowedWorld(mode: ContractMode, call: (w: World) => unknown): Arranged {
  const l = new CheckedFrameLayer({ maxPaddr: NR * P, refCountMax: MAX_RC, mode });
  const s = new CheckedSegment(l);
  SLOT5.overflowed({ l, s });
  return { violations: () => l.violations, call: () => call({ l, s }), touched: () => l.tracking.log.length > 0 };
}

describe('Segment: wrong callers', () => {
  callerRows(
    'Segment::clone',
    forgeryRows('clone', ({ s }, h) => s.clone(h), undefined, CLONE_FORGERIES),
  );
  callerRows('Segment::from_unused', [
    {
      wrong: 'claiming a range over a frame whose count overflowed (the caller ignored the abort)',
      breaks: ['Segment::from_unused.requires.regions_inv'],
      arrange: (mode) => overflowedWorld(mode, ({ s }) => s.fromUnused(range(P, 6 * P), () => K)),
    },
  ]);
  callerRows('Segment::from_raw', [
    {
      wrong: 'restoring a range over a frame whose count overflowed',
      breaks: ['Segment::from_raw.requires.regions_inv', 'Segment::from_raw.requires.relate_regions'],
      arrange: (mode) => overflowedWorld(mode, ({ s }) => s.fromRaw(range(5 * P, 6 * P))),
    },
  ]);
  callerRows(
    'Segment::split',
    forgeryRows('split', ({ s }, h) => s.split(h, P), undefined, [...FORGERIES, PAST_MAX]),
  );
  callerRows(
    'Segment::slice',
    forgeryRows('slice', ({ s }, h) => s.slice(h, range(0, P)), undefined, [...FORGERIES, PAST_MAX]),
  );
  callerRows(
    'Segment::into_raw',
    forgeryRows('into_raw', ({ s }, h) => s.intoRaw(h), undefined, [...FORGERIES, PAST_MAX]),
  );
  callerRows(
    'Segment::next',
    forgeryRows('next', ({ s }, h) => s.next(h), undefined, [...FORGERIES.filter((f) => !unaligned(f)), PAST_MAX_NEXT]),
  );
  callerRows(
    'Segment::drop',
    forgeryRows(
      'drop',
      ({ s }, h) => s.drop(h),
      (f) => (f === LISTED_SHARED ? ['last_ref_init'] : []),
      [...FORGERIES.filter((f) => !unaligned(f)), LISTED_SHARED],
    ),
  );
});

describe('Segment::from_raw: a range that was never forgotten', () => {
  it('passes every seed requires clause, and the accounting after the call blames the implementation', () => {
    // Not a falsifier of rc_equation: the implementation is right, the caller is wrong (docs/findings.md).
    const was = coverageEnabled();
    setCoverageEnabled(false);
    try {
      const l = new CheckedFrameLayer({ maxPaddr: NR * P, refCountMax: MAX_RC, mode: 'collect' });
      const s = new CheckedSegment(l);
      frame(l, 5);
      s.fromRaw(range(5 * P, 6 * P));
      expect(l.violations.map((v) => [v.clause, v.blame])).toEqual([['accounting.rc_equation', 'implementation']]);
    } finally {
      setCoverageEnabled(was);
    }
  });
});
