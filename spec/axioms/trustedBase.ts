/**
 * vostd's trusted base for the frame layer: every `axiom fn`, `external_body` function and
 * `assume_specification` in the frame-layer specs and sources, each with its executable meaning over
 * framecheck's model (written once in the `Alg` algebra, so the same definition is the TypeScript
 * predicate and the SMT encoding), or the reason it has none.
 *
 * Meanings:
 * - `slot`: a statement about every `MetaSlotOwner` value (a broadcast axiom with no `requires`);
 * - `transition`: `requires(old) ==> ensures(old, final)` of an axiom over one slot owner, observed on
 *   the real implementation at the operations it mirrors (`at`);
 * - `fact`: a statement about constants (`size_of::<MetaSlot>()`, `max_paddr()`);
 * - `words`: a statement for all words (the MMIO address axioms);
 * - `none`: no logical content to check, or not mirrored, with the reason.
 *
 * @see vostd (seed `1bd29df43`) `ostd/src/mm/frame/meta.rs`; vostd (`b5b972861`) `ostd/specs/mm/frame/**`,
 *   `ostd/specs/mm/embedding/{frame,unique,segment,list_store}.rs`, `ostd/src/mm/frame/**`
 */
import { OP, type FrameOpName } from '../protocol/FrameProtocol.ts';
import { FRAME_METADATA_RANGE, META_SLOT_SIZE, PAGE_SIZE } from '../vocab.ts';
import { slotEq, slotIte, usageTag, type Alg, type Slot } from './Alg.ts';

/** Which vostd the audit reads: the seed's commit or today's. */
export type SpecVersion = 'seed' | 'head';

/** Where a transition axiom is observed on the real implementation. */
export type ObservedAt =
  | Readonly<{ kind: 'op'; ops: readonly FrameOpName[] }>
  /** The step that uninitializes a slot's metadata (its vtable word goes to 0). */
  | Readonly<{ kind: 'vtable-clear' }>;

/** The constants a `fact` speaks about. */
export type Facts<N> = Readonly<{ sizeOfMetaSlot: N; maxPaddrResult: N; MAX_PADDR: N }>;

/** An axiom's executable meaning (see the file comment). */
export type Meaning =
  | Readonly<{ kind: 'slot'; holds: <B, N>(a: Alg<B, N>, s: Slot<B, N>) => B }>
  | Readonly<{
      kind: 'transition';
      at: ObservedAt;
      /** `valid`: `valid_frame_paddr(paddr)`. */
      requires: <B, N>(a: Alg<B, N>, old: Slot<B, N>, valid: B, spec: SpecVersion) => B;
      /** `ok`: the result is `Some`/`Ok` (ignored by axioms with no result). */
      ensures: <B, N>(a: Alg<B, N>, old: Slot<B, N>, fin: Slot<B, N>, ok: B, valid: B, spec: SpecVersion) => B;
      /**
       * An explicit final state (and result) for every old state meeting `requires` — what the
       * implementation computes. When it meets `ensures`, the axiom is consistent by a quantifier-free
       * check; when it does not (or there is none), only the quantified `exists final` is asked.
       */
      witness?: Witness;
    }>
  | Readonly<{ kind: 'fact'; holds: <B, N>(a: Alg<B, N>, f: Facts<N>) => B }>
  /** A statement for all values of `arity` words (the model's `is_mmio_paddr` is evaluated on `samples`). */
  | Readonly<{ kind: 'words'; arity: number; holds: <B, N>(a: Alg<B, N>, xs: readonly N[]) => B }>
  | Readonly<{ kind: 'none'; reason: string }>;

/** A transition's explicit final state and result, from its old state and `valid_frame_paddr`. */
export type Witness = <B, N>(a: Alg<B, N>, old: Slot<B, N>, valid: B) => Readonly<{ fin: Slot<B, N>; ok: B }>;

/** One trusted item. */
export type TrustedItem = Readonly<{
  /** The Rust item (`Type::method` for methods). */
  name: string;
  /** Its file in vostd, and the line at the commit read. */
  file: string;
  kind: 'axiom fn' | 'external_body' | 'assume_specification';
  specs: readonly SpecVersion[];
  /** What it asserts, in vostd's terms (its `requires`/`ensures`, shortened). */
  verus: string;
  meaning: Meaning;
}>;

/** `MetaSlotOwner::inv()`; HEAD adds `rc == UNIQUE ==> (usage != MMIO ==> paths_in_pt.is_empty())`. */
export function slotInv<B, N>(a: Alg<B, N>, s: Slot<B, N>, spec: SpecVersion): B {
  const mmio = a.eq(s.usage, usageTag(a, 'MMIO'));
  const noPaths = a.eq(s.paths, a.k(0n));
  return a.and(
    a.imp(
      a.eq(s.rc, a.unused),
      a.and(a.not(s.storageInit), a.not(s.vtableInit), a.eq(s.inList, a.k(0n)), a.or(mmio, noPaths)),
    ),
    a.imp(a.eq(s.rc, a.unique), a.and(s.vtableInit, s.storageInit, spec === 'seed' ? a.t : a.or(mmio, noPaths))),
    a.imp(a.and(a.lt(a.k(0n), s.rc), a.le(s.rc, a.max)), a.and(s.vtableInit, s.storageInit, a.eq(s.inList, a.k(0n)))),
    a.not(a.and(a.lt(a.max, s.rc), a.lt(s.rc, a.unique))),
    a.imp(a.eq(s.rc, a.k(0n)), a.eq(s.inList, a.k(0n))),
    a.le(a.k(FRAME_METADATA_RANGE.start), s.vaddr),
    a.lt(s.vaddr, a.k(FRAME_METADATA_RANGE.end)),
    a.eq(a.mod(s.vaddr, a.k(BigInt(META_SLOT_SIZE))), a.k(0n)),
  );
}

/** `meta_to_frame(vaddr) = (vaddr - FRAME_METADATA_RANGE.start) / META_SLOT_SIZE * PAGE_SIZE`. */
export function metaToFrame<B, N>(a: Alg<B, N>, vaddr: N): N {
  return a.mul(
    a.div(a.sub(vaddr, a.k(FRAME_METADATA_RANGE.start)), a.k(BigInt(META_SLOT_SIZE))),
    a.k(BigInt(PAGE_SIZE)),
  );
}

const keeps = <B, N>(a: Alg<B, N>, o: Slot<B, N>, n: Slot<B, N>, fields: readonly (keyof Slot<B, N>)[]): B =>
  a.and(
    ...fields.map((f) => (f === 'storageInit' || f === 'vtableInit' ? a.iff(o[f], n[f]) : a.eq(o[f] as N, n[f] as N))),
  );
const isUsage = <B, N>(a: Alg<B, N>, s: Slot<B, N>, u: Parameters<typeof usageTag>[1]) => a.eq(s.usage, usageTag(a, u));
const noPaths = <B, N>(a: Alg<B, N>, s: Slot<B, N>) => a.eq(s.paths, a.k(0n));
const none = (reason: string): Meaning => ({ kind: 'none', reason });
const NO_ENSURES =
  'no requires or ensures: it trusts only that the body is memory-safe, which has no logical content to check';

/** The embedded axioms' common ensures: `final(regions).inv()` plus the slot's own clauses. */
function embedded(
  at: readonly FrameOpName[],
  requires: Transition['requires'],
  ensures: Transition['ensures'],
  witness?: Witness,
): Meaning {
  return {
    kind: 'transition',
    at: { kind: 'op', ops: at },
    requires: (a, o, v, spec) => a.and(slotInv(a, o, spec), requires(a, o, v, spec)),
    ensures: (a, o, n, ok, v, spec) => a.and(slotInv(a, n, spec), ensures(a, o, n, ok, v, spec)),
    ...(witness === undefined ? {} : { witness }),
  };
}

type Transition = Extract<Meaning, { kind: 'transition' }>;

/**
 * The ensures of a `get_from_*` axiom with an `Option` result: `!valid_frame_paddr ==> None`,
 * `Some ==> success(old, final)`, `None ==> final == old`.
 */
const optionEnsures =
  (success: <B, N>(a: Alg<B, N>, o: Slot<B, N>, n: Slot<B, N>) => B): Transition['ensures'] =>
  (a, o, n, ok, v) =>
    a.and(a.imp(a.not(v), a.not(ok)), a.imp(ok, success(a, o, n)), a.imp(a.not(ok), slotEq(a, o, n)));

/** A witness that succeeds exactly when `when` holds, with `fin` as the final state, and keeps `old` otherwise. */
const succeedsWhen =
  (
    when: <B, N>(a: Alg<B, N>, o: Slot<B, N>, v: B) => B,
    fin: <B, N>(a: Alg<B, N>, o: Slot<B, N>) => Slot<B, N>,
  ): Witness =>
  (a, o, v) => {
    const ok = when(a, o, v);
    return { ok, fin: slotIte(a, ok, fin(a, o), o) };
  };

const MEMBERS_KEPT = ['usage', 'paths', 'inList', 'vaddr'] as const;

const DROP_META_IN_PLACE: Meaning = {
  kind: 'transition',
  at: { kind: 'vtable-clear' },
  requires: (a, o) => a.and(a.or(a.eq(o.rc, a.k(0n)), a.eq(o.rc, a.unique)), o.storageInit, a.eq(o.inList, a.k(0n))),
  ensures: (a, o, n) =>
    a.and(keeps(a, o, n, ['rc', 'inList', 'vaddr', 'usage', 'paths']), a.not(n.storageInit), a.not(n.vtableInit)),
};

/** Every trusted item of the frame layer. */
export const TRUSTED_BASE: readonly TrustedItem[] = [
  {
    name: 'size_of_meta_slot',
    file: 'ostd/src/mm/frame/meta.rs:253',
    kind: 'axiom fn',
    specs: ['seed'],
    verus:
      'ensures size_of::<MetaSlot>() == 64, align_of::<MetaSlot>() == 8 (beside `global layout MetaSlot is size == 64, align == 8`)',
    meaning: { kind: 'fact', holds: (a, f) => a.eq(f.sizeOfMetaSlot, a.k(64n)) },
  },
  {
    name: 'MetaSlot::addr_of',
    file: 'ostd/src/mm/frame/meta.rs:309 (seed), :348 (head)',
    kind: 'external_body',
    specs: ['seed', 'head'],
    verus: 'requires self == perm.value() returns perm.addr()',
    meaning: none(
      'it only names the exec result (perm.addr()), so it constrains no ghost state; the address it returns is meta_addr(i) by MetaRegionOwners::inv, whose arithmetic the mapping lemmas prove (framecheck prove: lemma_frame_to_meta_*)',
    ),
  },
  {
    name: 'MetaSlot::dyn_meta_ptr',
    file: 'ostd/src/mm/frame/meta.rs:774 (seed), :650 (head)',
    kind: 'external_body',
    specs: ['seed', 'head'],
    verus: '(no spec)',
    meaning: none(NO_ENSURES),
  },
  {
    name: 'MetaSlot::drop_meta_in_place',
    file: 'ostd/src/mm/frame/meta.rs:931 (seed), :813 (head)',
    kind: 'external_body',
    specs: ['seed', 'head'],
    verus:
      'requires rc == 0 || rc == REF_COUNT_UNIQUE, storage.is_init(), in_list == 0; ensures ref_count, in_list, self_addr, usage, paths_in_pt unchanged, storage and vtable_ptr uninit',
    meaning: DROP_META_IN_PLACE,
  },
  {
    name: 'axiom_mmio_usage_iff_mmio_paddr',
    file: 'ostd/specs/mm/frame/meta_owners.rs:72',
    kind: 'axiom fn',
    specs: ['head'],
    verus:
      'broadcast, for every slot: MetaSlotOwner: (slot.usage == PageUsage::MMIO) <==> is_mmio_paddr(meta_to_frame(slot.slot_vaddr))',
    meaning: { kind: 'slot', holds: (a, s) => a.iff(isUsage(a, s, 'MMIO'), a.isMmio(metaToFrame(a, s.vaddr))) },
  },
  {
    name: 'axiom_mmio_paddr_huge_page_closed',
    file: 'ostd/specs/mm/frame/meta_owners.rs:85',
    kind: 'axiom fn',
    specs: ['head'],
    verus:
      'requires pa % page_size == 0, offset < page_size; ensures is_mmio_paddr((pa + offset) as Paddr) == is_mmio_paddr(pa)',
    meaning: {
      kind: 'words',
      arity: 3,
      holds: (a, [pa, pageSize, offset]) =>
        a.imp(
          a.and(
            a.not(a.eq(pageSize!, a.k(0n))),
            a.eq(a.mod(pa!, pageSize!), a.k(0n)),
            a.lt(offset!, pageSize!),
            a.addOk(pa!, offset!),
          ),
          a.iff(a.isMmio(a.add(pa!, offset!)), a.isMmio(pa!)),
        ),
    },
  },
  {
    name: 'max_paddr',
    file: 'ostd/src/mm/frame/mod.rs:97',
    kind: 'external_body',
    specs: ['head'],
    verus:
      'returns MAX_PADDR (the constant 0x8000_0000); the upstream body loads the boot-time maximum physical address',
    meaning: { kind: 'fact', holds: (a, f) => a.eq(f.maxPaddrResult, f.MAX_PADDR) },
  },
  {
    name: 'acquire_fence',
    file: 'ostd/src/mm/frame/mod.rs:108',
    kind: 'external_body',
    specs: ['head'],
    verus: '(no spec) fence(Acquire)',
    meaning: none(`${NO_ENSURES}; its ordering role is checked by the RC11 ordering audit (framecheck orderings)`),
  },
  {
    name: 'Frame::into_dyn',
    file: 'ostd/src/mm/frame/mod.rs:921',
    kind: 'external_body',
    specs: ['head'],
    verus: '(no spec) transmute Frame<M> -> Frame<dyn AnyFrameMeta>',
    meaning: none(`${NO_ENSURES}; framecheck's frames carry no static metadata type`),
  },
  {
    name: 'usize::trailing_zeros',
    file: 'ostd/src/mm/frame/frame_ref.rs:165',
    kind: 'assume_specification',
    specs: ['head'],
    verus: '(no requires, no ensures)',
    meaning: none(
      'an assume_specification with no requires or ensures only declares the function callable without a precondition',
    ),
  },
  {
    name: 'FrameAllocOptions::alloc_frame_with',
    file: 'ostd/src/mm/frame/allocator.rs:56',
    kind: 'external_body',
    specs: ['head'],
    verus: '(no spec)',
    meaning: none(NO_ENSURES),
  },
  {
    name: 'frame_from_unused_embedded',
    file: 'ostd/specs/mm/embedding/frame.rs:72',
    kind: 'axiom fn',
    specs: ['head'],
    verus:
      'requires regions.inv(); ensures final.inv(), !valid_frame_paddr(paddr) ==> res is None, res is Some ==> get_from_unused_spec(paddr, false, old, final) (rc UNUSED -> 1, in_list 0, metadata init, usage Frame, slot_vaddr and paths_in_pt kept), res is None ==> final == old',
    meaning: embedded(
      [OP.from_unused],
      (a) => a.t,
      optionEnsures((a, o, n) =>
        a.and(
          a.eq(o.rc, a.unused),
          a.eq(n.rc, a.k(1n)),
          a.eq(n.inList, a.k(0n)),
          n.storageInit,
          n.vtableInit,
          isUsage(a, n, 'Frame'),
          keeps(a, o, n, ['vaddr', 'paths']),
        ),
      ),
      succeedsWhen(
        (a, o, v) => a.and(v, a.eq(o.rc, a.unused)),
        (a, o) => ({
          ...o,
          rc: a.k(1n),
          inList: a.k(0n),
          storageInit: a.t,
          vtableInit: a.t,
          usage: usageTag(a, 'Frame'),
        }),
      ),
    ),
  },
  {
    name: 'frame_from_in_use_embedded',
    file: 'ostd/specs/mm/embedding/frame.rs:111',
    kind: 'axiom fn',
    specs: ['head'],
    verus:
      'ensures final.inv(), !valid ==> None, Some ==> get_from_in_use_success (rc + 1, the rest kept) and rc != UNUSED, rc != UNIQUE, storage init, usage is Frame; None ==> final == old',
    meaning: embedded(
      [OP.from_in_use],
      (a) => a.t,
      optionEnsures((a, o, n) =>
        a.and(
          a.addOk(o.rc, a.k(1n)),
          a.eq(n.rc, a.add(o.rc, a.k(1n))),
          keeps(a, o, n, ['inList', 'vaddr', 'usage', 'paths']),
          a.iff(o.storageInit, n.storageInit),
          a.iff(o.vtableInit, n.vtableInit),
          a.not(a.eq(n.rc, a.unused)),
          a.not(a.eq(n.rc, a.unique)),
          n.storageInit,
          isUsage(a, n, 'Frame'),
        ),
      ),
      succeedsWhen(
        (a, o, v) => a.and(v, a.lt(a.k(0n), o.rc), a.lt(o.rc, a.max), isUsage(a, o, 'Frame')),
        (a, o) => ({ ...o, rc: a.add(o.rc, a.k(1n)) }),
      ),
    ),
  },
  {
    name: 'frame_drop_embedded',
    file: 'ostd/specs/mm/embedding/frame.rs:186',
    kind: 'axiom fn',
    specs: ['head'],
    verus:
      'requires inv, 0 < rc <= REF_COUNT_MAX, rc == 1 ==> storage init && in_list == 0 && paths_in_pt empty; ensures final.inv(), slot_vaddr/usage/paths_in_pt/in_list kept, rc == 1 ==> UNUSED, rc > 1 ==> rc - 1 with storage kept',
    meaning: embedded(
      [OP.drop],
      (a, o) =>
        a.and(
          a.lt(a.k(0n), o.rc),
          a.not(a.eq(o.rc, a.unused)),
          a.le(o.rc, a.max),
          a.imp(a.eq(o.rc, a.k(1n)), a.and(o.storageInit, a.eq(o.inList, a.k(0n)), noPaths(a, o))),
        ),
      (a, o, n) =>
        a.and(
          keeps(a, o, n, MEMBERS_KEPT),
          a.imp(a.eq(o.rc, a.k(1n)), a.eq(n.rc, a.unused)),
          a.imp(a.lt(a.k(1n), o.rc), a.and(a.eq(n.rc, a.sub(o.rc, a.k(1n))), a.iff(o.storageInit, n.storageInit))),
        ),
      (a, o) => {
        const last = a.eq(o.rc, a.k(1n));
        const dropped = { ...o, rc: a.unused, storageInit: a.f, vtableInit: a.f };
        return { ok: a.t, fin: slotIte(a, last, dropped, { ...o, rc: a.sub(o.rc, a.k(1n)) }) };
      },
    ),
  },
  {
    name: 'unique_from_unused_embedded',
    file: 'ostd/specs/mm/embedding/unique.rs:83',
    kind: 'axiom fn',
    specs: ['head'],
    verus:
      'requires inv, valid_frame_paddr, usage is Unused, rc == UNUSED; ensures final.inv(), usage is Frame, rc == UNIQUE, in_list == 0, storage init, paths_in_pt and slot_vaddr kept',
    meaning: embedded(
      [OP.from_unused_unique],
      (a, o, v) => a.and(v, isUsage(a, o, 'Unused'), a.eq(o.rc, a.unused)),
      (a, o, n) =>
        a.and(
          isUsage(a, n, 'Frame'),
          a.eq(n.rc, a.unique),
          a.eq(n.inList, a.k(0n)),
          n.storageInit,
          keeps(a, o, n, ['paths', 'vaddr']),
        ),
      (a, o) => ({
        ok: a.t,
        fin: { ...o, rc: a.unique, inList: a.k(0n), storageInit: a.t, vtableInit: a.t, usage: usageTag(a, 'Frame') },
      }),
    ),
  },
  {
    name: 'unique_drop_embedded',
    file: 'ostd/specs/mm/embedding/unique.rs:128',
    kind: 'axiom fn',
    specs: ['head'],
    verus:
      'requires inv, rc == UNIQUE, in_list == 0, storage init, paths_in_pt empty; ensures final.inv(), rc == UNUSED, usage/paths_in_pt/in_list/slot_vaddr kept',
    meaning: embedded(
      [OP.drop_unique],
      (a, o) => a.and(a.eq(o.rc, a.unique), a.eq(o.inList, a.k(0n)), o.storageInit, noPaths(a, o)),
      (a, o, n) => a.and(a.eq(n.rc, a.unused), keeps(a, o, n, MEMBERS_KEPT)),
      (a, o) => ({ ok: a.t, fin: { ...o, rc: a.unused, storageInit: a.f, vtableInit: a.f } }),
    ),
  },
  {
    name: 'from_unique_embedded',
    file: 'ostd/specs/mm/embedding/unique.rs:170',
    kind: 'axiom fn',
    specs: ['head'],
    verus:
      'requires inv, rc == UNIQUE; ensures final.inv(), rc == 1, usage/paths_in_pt/in_list/storage/slot_vaddr kept',
    meaning: embedded(
      [OP.into_shared],
      (a, o) => a.eq(o.rc, a.unique),
      (a, o, n) => a.and(a.eq(n.rc, a.k(1n)), keeps(a, o, n, MEMBERS_KEPT), a.iff(o.storageInit, n.storageInit)),
    ),
  },
  {
    name: 'try_from_shared_embedded',
    file: 'ostd/specs/mm/embedding/unique.rs:206',
    kind: 'axiom fn',
    specs: ['head'],
    verus:
      'requires inv, rc == 1, usage is Frame, paths_in_pt empty; ensures final.inv(), rc == UNIQUE, usage/paths_in_pt/in_list/storage/slot_vaddr kept',
    meaning: embedded(
      [OP.try_into_unique],
      (a, o) => a.and(a.eq(o.rc, a.k(1n)), isUsage(a, o, 'Frame'), noPaths(a, o)),
      (a, o, n, ok) =>
        a.imp(ok, a.and(a.eq(n.rc, a.unique), keeps(a, o, n, MEMBERS_KEPT), a.iff(o.storageInit, n.storageInit))),
      (a, o) => ({ ok: a.t, fin: { ...o, rc: a.unique } }),
    ),
  },
  ...[
    ['MetaRegionOwners::tracked_mint_frame_obligation', 'ostd/specs/mm/frame/meta_region_owners.rs:265'],
    ['MetaRegionOwners::tracked_redeem_frame_obligation', 'ostd/specs/mm/frame/meta_region_owners.rs:275'],
  ].map(([name, file]): TrustedItem => ({
    name: name!,
    file: file!,
    kind: 'axiom fn',
    specs: ['head'],
    verus:
      'frame_obligations gains (mint) or loses (redeem, requires count > 0) one entry at the slot, paired with a DropObligation token',
    meaning: none(
      'ghost machinery: the per-frame drop-obligation ledger and its tokens have no counterpart in real memory',
    ),
  })),
  ...[
    [
      'segment_from_unused_embedded',
      'ostd/specs/mm/embedding/segment.rs:77',
      'each slot of the range as frame_from_unused_embedded leaves it',
      "over a range of slots [range.start, range.end) and the Segment's ownership of it",
    ],
    [
      'segment_clone_embedded',
      'ostd/specs/mm/embedding/segment.rs:419',
      'each slot of the range one reference more',
      "over a range of slots [range.start, range.end) and the Segment's ownership of it",
    ],
    [
      'insert_before_at_embedded',
      'ostd/specs/mm/embedding/list_store.rs:611',
      'the loose frame spliced in at position n, touching its two link neighbours',
      "over LinkedListOwner's link sequence (prev/next links, list ids) and the loose frame's UniqueFrameOwner: framecheck's slot model has no link fields",
    ],
    [
      'take_at_embedded',
      'ostd/specs/mm/embedding/list_store.rs:679',
      'the frame at position n unlinked and handed back as a loose UniqueFrameOwner',
      "over LinkedListOwner's link sequence (prev/next links, list ids) and the loose frame's UniqueFrameOwner: framecheck's slot model has no link fields",
    ],
    [
      'list_drop_embedded',
      'ostd/specs/mm/embedding/list_store.rs:755',
      'every frame of the list unlinked and dropped',
      "over LinkedListOwner's link sequence (prev/next links, list ids) and the loose frame's UniqueFrameOwner: framecheck's slot model has no link fields",
    ],
  ].map(([name, file, verus, over]): TrustedItem => ({
    name: name!,
    file: file!,
    kind: 'axiom fn',
    specs: ['head'],
    verus: verus!,
    meaning: none(
      `not mirrored: ${over!}; the explorer has no such operation to observe it on (issue 13 item 5), and the one-slot encoding has no counterpart for it`,
    ),
  })),
  {
    name: 'LinkedList::lazy_get_id',
    file: 'ostd/src/mm/frame/linked_list.rs:618',
    kind: 'external_body',
    specs: ['head'],
    verus:
      'ensures owner.list_id != 0 ==> id == owner.list_id, size/front/back kept, old list_id != 0 ==> kept, id != 0, final(self).list_id == id',
    meaning: none(
      'not mirrored: over the list header (size, front, back, list_id), not slot state; its ensures are met by id = list_id when nonzero and any fresh nonzero id otherwise (consistent by that witness: inferred, not checked with Z3); the explorer has no LinkedList operation to observe it on',
    ),
  },
  ...[
    ['Link::to_repr', 'ostd/specs/mm/frame/linked_list/linked_list_owners.rs:99'],
    ['Link::from_repr', 'ostd/specs/mm/frame/linked_list/linked_list_owners.rs:125'],
    ['Link::from_borrowed', 'ostd/specs/mm/frame/linked_list/linked_list_owners.rs:130'],
    ['Link::from_borrowed_mut', 'ostd/specs/mm/frame/linked_list/linked_list_owners.rs:138'],
    ['LinkedListOwner::tracked_destroy_empty', 'ostd/specs/mm/frame/linked_list/linked_list_owners.rs:951'],
    ['UniqueFrame::transmute', 'ostd/src/mm/frame/unique.rs:128'],
    ['UniqueFrame::dyn_meta (commented out)', 'ostd/src/mm/frame/unique.rs:372'],
    ['UniqueFrame::dyn_meta_mut (commented out)', 'ostd/src/mm/frame/unique.rs:382'],
    ['From<UniqueFrame> for Frame::from', 'ostd/src/mm/frame/unique.rs:698'],
    ['TryFrom<Frame> for UniqueFrame::try_from', 'ostd/src/mm/frame/unique.rs:710'],
    ['From<Frame> for Segment::from', 'ostd/src/mm/frame/segment.rs:1171'],
    ['Iterator for Segment::next', 'ostd/src/mm/frame/segment.rs:1188'],
  ].map(([name, file]): TrustedItem => ({
    name: name!,
    file: file!,
    kind: 'external_body',
    specs: ['head'],
    verus: '(no ensures over the region; typed views of the storage, or a body whose spec is its trait contract)',
    meaning: none(
      'Verus type-level plumbing (Repr casts, PhantomData transmutes, trait wrappers with no ensures of their own): nothing over the slot state to check',
    ),
  })),
];

/** The items of one vostd version. */
export function trustedBase(spec: SpecVersion): readonly TrustedItem[] {
  return TRUSTED_BASE.filter((t) => t.specs.includes(spec));
}

/** `valid_frame_paddr(paddr)` / `has_safe_slot(paddr)`: aligned and below the instance's `MAX_PADDR`. */
export function validFramePaddr(paddr: number, maxPaddr: number): boolean {
  return paddr % PAGE_SIZE === 0 && paddr < maxPaddr;
}
