/**
 * The accounting invariant of vostd's embedding (`specs/mm/embedding`, `accounting_inv` and the
 * handle conjuncts of `structural_inv`): every reference to a frame is a live handle, a page-table
 * mapping or a segment, and the reference count is exactly their number.
 *
 * For every frame whose slot has usage `Frame`:
 * - `rc == REF_COUNT_UNUSED` ⇒ no handle, no unique handle, no mapping, no segment covers it;
 * - `rc` shared (not a sentinel) ⇒ the frame is *active* (some handle, mapping or segment);
 * - active ⇒ `rc == #Frame handles + #mappings + #segments covering it`;
 * - at most one unique handle (a `UniqueFrame`, or a unique frame parked in a list), and a unique
 *   handle excludes every shared reference and means `rc == REF_COUNT_UNIQUE`;
 * - `rc == REF_COUNT_UNIQUE` ⇒ exactly one unique handle owns the frame;
 * - `rc == 0` (claimed, or being torn down) is never seen at a quiescent point;
 * - a frame the allocator holds as free is `REF_COUNT_UNUSED`.
 *
 * Pure and independent of the obligation ledger, so the explorer, the contract layer and the audit of
 * a real dump all evaluate the same predicates.
 *
 * @see vostd HEAD `ostd/specs/mm/embedding/mod.rs` (`accounting_inv`, `handle_count`, `segment_cover_count`)
 */
import type { Invariant } from '../Op.ts';
import type { PageUsage } from '../meta/MetaSlotOwner.ts';
import { PAGE_SIZE, type ModelParams, type Paddr } from '../vocab.ts';

/** A range of physical addresses, end exclusive. */
export type PaddrRange = Readonly<{ start: Paddr; end: Paddr }>;

/** The references to frames a state holds, each counted per frame (by physical address). */
export type AccountingState = Readonly<{
  p: Pick<ModelParams, 'refCountUnused' | 'refCountUnique'>;
  /** The reference count of every frame of interest; frames not listed are `REF_COUNT_UNUSED`. */
  rc: ReadonlyMap<Paddr, bigint>;
  /** The slot's usage (ghost); frames not listed are `Frame`. Only `Frame` slots obey the equation. */
  usage?: ReadonlyMap<Paddr, PageUsage>;
  /** Live `Frame` handles per frame. */
  handles: ReadonlyMap<Paddr, number>;
  /** Live `UniqueFrame` handles per frame. */
  uniques: ReadonlyMap<Paddr, number>;
  /** Unique frames parked in a frame list (the list owns them; `in_list != 0`). */
  listed?: ReadonlyMap<Paddr, number>;
  /** Page-table mappings (`paths_in_pt`) per frame, including references forgotten with `into_raw` for one. */
  ptes: ReadonlyMap<Paddr, number>;
  /** Live segments. */
  segments: readonly PaddrRange[];
  /** The allocator's free ranges, when an allocator view is given. */
  free?: readonly PaddrRange[];
}>;

/** One failed accounting clause at one frame. */
export type AccountingViolation = Readonly<{ frame: Paddr; clause: string; expected: string; actual: string }>;

/** An accounting clause: its name (`accounting.<name>`) and the embedding text it mirrors. */
export type AccountingClause = Readonly<{ name: string; verus: string; origin: 'vostd-head' | 'framecheck' }>;

/** An embedding clause; `framecheck` marks one the embedding does not state (framecheck's strengthening). */
const clause = (name: string, verus: string, origin: AccountingClause['origin'] = 'vostd-head'): AccountingClause =>
  Object.freeze({ name: `accounting.${name}`, verus, origin });

/** Every accounting clause, in evaluation order. */
export const ACCOUNTING_CLAUSES = Object.freeze({
  unusedUnreferenced: clause(
    'unused_unreferenced',
    'rc == REF_COUNT_UNUSED ==> handle_count(frames, i) == 0 && paths_in_pt.is_empty() && segment_cover_count(segments, p) == 0 (and no unique entry)',
  ),
  sharedActive: clause(
    'shared_active',
    'usage is Frame && rc != REF_COUNT_UNUSED && rc != REF_COUNT_UNIQUE ==> handle_count > 0 || !paths_in_pt.is_empty() || segment_cover_count > 0',
  ),
  rcEquation: clause(
    'rc_equation',
    'usage is Frame && active ==> rc == handle_count + paths_in_pt.len() + segment_cover_count',
  ),
  uniqueAtMostOne: clause('unique_at_most_one', 'at most one unique entry per paddr'),
  uniqueExclusive: clause(
    'unique_exclusive',
    'unique entry at p ==> rc == REF_COUNT_UNIQUE && no Frame handle, mapping or segment at p',
  ),
  uniqueOwned: clause(
    'unique_owned',
    'rc == REF_COUNT_UNIQUE ==> exactly one unique entry (a UniqueFrame or a list link) owns p',
    'framecheck',
  ),
  noTransient: clause(
    'no_transient',
    'rc == 0 (claimed or being torn down) only inside an operation, never at a quiescent point',
    'framecheck',
  ),
  freeUnused: clause('free_unused', 'p is free in the allocator ==> rc == REF_COUNT_UNUSED', 'framecheck'),
});

/** The references to one frame. */
export type FrameRefs = Readonly<{
  rc: bigint;
  usage: PageUsage;
  handles: number;
  uniques: number;
  ptes: number;
  segments: number;
  free: boolean;
}>;

const covering = (ranges: readonly PaddrRange[] | undefined, paddr: Paddr): number => {
  let n = 0;
  if (ranges !== undefined) for (const r of ranges) if (r.start <= paddr && paddr < r.end) n++;
  return n;
};

/** The references `s` holds to the frame at `paddr`. */
export function frameRefs(s: AccountingState, paddr: Paddr): FrameRefs {
  return {
    rc: s.rc.get(paddr) ?? s.p.refCountUnused,
    usage: s.usage?.get(paddr) ?? 'Frame',
    handles: s.handles.get(paddr) ?? 0,
    uniques: (s.uniques.get(paddr) ?? 0) + (s.listed?.get(paddr) ?? 0),
    ptes: s.ptes.get(paddr) ?? 0,
    segments: covering(s.segments, paddr),
    free: covering(s.free, paddr) > 0,
  };
}

const showRc = (v: bigint, p: AccountingState['p']): string =>
  v === p.refCountUnused ? 'REF_COUNT_UNUSED' : v === p.refCountUnique ? 'REF_COUNT_UNIQUE' : `${v}`;
const showRefs = (r: FrameRefs): string =>
  `handles ${r.handles}, uniques ${r.uniques}, mappings ${r.ptes}, segments ${r.segments}`;

/** What a failed clause expected and found; `undefined` when the clause holds. */
type Check = (r: FrameRefs, p: AccountingState['p']) => readonly [expected: string, actual: string] | undefined;

const shared = (r: FrameRefs) => r.handles + r.ptes + r.segments;
/** A shared count of a `Frame` slot: the equation's domain. */
const sharedFrame = (r: FrameRefs, p: AccountingState['p']) =>
  r.usage === 'Frame' && r.rc !== p.refCountUnused && r.rc !== p.refCountUnique && r.rc !== 0n;
const C = ACCOUNTING_CLAUSES;

const CHECKS: readonly (readonly [AccountingClause, Check])[] = [
  [
    C.unusedUnreferenced,
    (r, p) =>
      r.rc === p.refCountUnused && shared(r) + r.uniques > 0
        ? ['no references to an unused frame', showRefs(r)]
        : undefined,
  ],
  [
    C.sharedActive,
    (r, p) =>
      sharedFrame(r, p) && shared(r) === 0
        ? ['a handle, mapping or segment holds the shared frame', `rc == ${r.rc} with no reference`]
        : undefined,
  ],
  [
    C.rcEquation,
    (r, p) =>
      sharedFrame(r, p) && shared(r) > 0 && r.rc !== BigInt(shared(r))
        ? [`rc == ${shared(r)} (${showRefs(r)})`, `rc == ${r.rc}`]
        : undefined,
  ],
  [
    C.uniqueAtMostOne,
    (r) => (r.uniques > 1 ? ['at most one unique handle', `${r.uniques} unique handles`] : undefined),
  ],
  [
    C.uniqueExclusive,
    (r, p) =>
      r.uniques > 0 && r.rc !== p.refCountUnused && (r.rc !== p.refCountUnique || shared(r) > 0)
        ? ['rc == REF_COUNT_UNIQUE and no shared reference', `rc == ${showRc(r.rc, p)}, ${showRefs(r)}`]
        : undefined,
  ],
  [
    C.uniqueOwned,
    (r, p) =>
      r.rc === p.refCountUnique && r.uniques === 0
        ? ['one unique handle owns a REF_COUNT_UNIQUE frame', showRefs(r)]
        : undefined,
  ],
  [C.noTransient, (r) => (r.rc === 0n ? ['rc != 0 at a quiescent point', 'rc == 0'] : undefined)],
  [
    C.freeUnused,
    (r, p) =>
      r.free && r.rc !== p.refCountUnused
        ? ['rc == REF_COUNT_UNUSED for a free frame', `rc == ${showRc(r.rc, p)}`]
        : undefined,
  ],
];

/** The accounting clauses that fail at one frame. */
export function frameViolations(
  s: AccountingState,
  paddr: Paddr,
  r: FrameRefs = frameRefs(s, paddr),
): AccountingViolation[] {
  const out: AccountingViolation[] = [];
  for (const [c, check] of CHECKS) {
    const failed = check(r, s.p);
    if (failed !== undefined) out.push({ frame: paddr, clause: c.name, expected: failed[0], actual: failed[1] });
  }
  return out;
}

/** The subject of one accounting clause: a state and a frame of it. */
export type AccountingAt = Readonly<{ state: AccountingState; frame: Paddr }>;

/** The accounting clauses as invariants (the registry's rows; the contract layer's checks). */
export const ACCOUNTING_INV: readonly Invariant<AccountingAt>[] = CHECKS.map(([c, check]) =>
  Object.freeze({
    name: c.name,
    verus: c.verus,
    origin: c.origin,
    holds: (x: { value: AccountingAt }) =>
      check(frameRefs(x.value.state, x.value.frame), x.value.state.p) === undefined,
    explain: (x: { value: AccountingAt }) => {
      const r = frameRefs(x.value.state, x.value.frame);
      const failed = check(r, x.value.state.p);
      return { frame: x.value.frame, rc: r.rc, refs: showRefs(r), expected: failed?.[0], actual: failed?.[1] };
    },
  }),
);

/** Every frame `s` mentions: a count, a handle, a mapping, a segment page or a free page. */
export function accountingFrames(s: AccountingState): Paddr[] {
  const all = new Set<Paddr>();
  for (const m of [s.rc, s.handles, s.uniques, s.listed, s.ptes, s.usage])
    if (m !== undefined) for (const k of m.keys()) all.add(k);
  for (const r of s.segments) for (let p = r.start; p < r.end; p += PAGE_SIZE) all.add(p);
  return [...all].sort((a, b) => a - b);
}

/**
 * The accounting violations of `s` at `frames` (default: every frame `s` mentions, which is where a
 * violation can be — an unmentioned frame is UNUSED with no reference). Free ranges are checked only
 * at the frames visited.
 */
export function accountingViolations(
  s: AccountingState,
  frames: Iterable<Paddr> = accountingFrames(s),
): AccountingViolation[] {
  const out: AccountingViolation[] = [];
  for (const paddr of frames) for (const v of frameViolations(s, paddr)) out.push(v);
  return out;
}

/** Per-frame counts of a list of addresses (one entry per handle): what `handles`, `uniques` and `ptes` take. */
export function countByFrame(paddrs: Iterable<Paddr>): Map<Paddr, number> {
  const m = new Map<Paddr, number>();
  for (const p of paddrs) m.set(p, (m.get(p) ?? 0) + 1);
  return m;
}
