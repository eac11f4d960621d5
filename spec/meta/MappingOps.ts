/**
 * The exec address conversions of the seed's `mod mapping` and `MetaSlot::addr_of`, as op specs:
 * `frame_to_meta(paddr)`, `meta_to_frame(vaddr)` (each with its two `requires` and two `ensures`) and
 * `addr_of(&self)` (`external_body`: `requires self == perm.value()`, `returns perm.addr()`).
 *
 * All three are pure: the tracked state is the `PointsTo<MetaSlot>` of `addr_of`, or nothing.
 *
 * @see vostd (seed era) `ostd/src/mm/frame/meta.rs` (`mod mapping`, `impl MetaSlot { fn addr_of }`)
 */
import type { OpSpec, Outcome, PostCtx, PreCtx } from '../Op.ts';
import { FRAME_METADATA_RANGE, META_SLOT_SIZE, PAGE_SIZE, type Paddr, type Vaddr } from '../vocab.ts';
import { clauseMaker } from './clause.ts';
import { frameToMeta, metaToFrame } from './mapping.ts';
import type { SlotView } from './MetaSlotOps.ts';
import { ghostEq, valueOf } from './perms.ts';

type Empty = Readonly<Record<string, never>>;
const ret = <S, R>(final: S, result: R): Outcome<S, R> => Object.freeze({ kind: 'return', final, result });
const never = <C>(op: string) => clauseMaker<C>(op, 'may_panic')('never', '(no may_panic clause)', () => false);
const SLOT = BigInt(META_SLOT_SIZE);

// mapping::frame_to_meta ---------------------------------------------------------------------------

type FtmArgs = Readonly<{ paddr: Paddr }>;
const ftmReq = clauseMaker<PreCtx<Empty, FtmArgs>>('frame_to_meta', 'requires');
const ftmEns = clauseMaker<PostCtx<Empty, FtmArgs, Vaddr>>('frame_to_meta', 'ensures');

/** `mapping::frame_to_meta(paddr: Paddr) -> (res: Vaddr)`. */
export const frameToMetaSpec: OpSpec<Empty, FtmArgs, Vaddr> = Object.freeze({
  name: 'frame_to_meta',
  rust: 'mapping::frame_to_meta',
  source: 'ostd/src/mm/frame/meta.rs',
  requires: [
    ftmReq('aligned', 'paddr % PAGE_SIZE == 0', (c) => c.args.paddr % PAGE_SIZE === 0),
    ftmReq(
      'below_max',
      'paddr < MAX_PADDR',
      (c) => c.args.paddr < c.p.maxPaddr,
      (c) => ({ paddr: c.args.paddr, MAX_PADDR: c.p.maxPaddr }),
    ),
  ],
  mayPanic: never('frame_to_meta'),
  ensures: [
    ftmEns(
      'spec',
      'res == frame_to_meta_spec(paddr)',
      (c) => c.result === frameToMeta(c.args.paddr),
      (c) => ({ res: c.result, 'frame_to_meta_spec(paddr)': frameToMeta(c.args.paddr) }),
    ),
    ftmEns(
      'aligned',
      'res % META_SLOT_SIZE == 0',
      (c) => c.result % SLOT === 0n,
      (c) => ({ res: c.result }),
    ),
  ],
  next: (c) => ret(c.old, frameToMeta(c.args.paddr)),
  footprint: () => [],
});

// mapping::meta_to_frame ---------------------------------------------------------------------------

type MtfArgs = Readonly<{ vaddr: Vaddr }>;
const mtfReq = clauseMaker<PreCtx<Empty, MtfArgs>>('meta_to_frame', 'requires');
const mtfEns = clauseMaker<PostCtx<Empty, MtfArgs, Paddr>>('meta_to_frame', 'ensures');

/** `mapping::meta_to_frame(vaddr: Vaddr) -> (res: Paddr)`. */
export const metaToFrameSpec: OpSpec<Empty, MtfArgs, Paddr> = Object.freeze({
  name: 'meta_to_frame',
  rust: 'mapping::meta_to_frame',
  source: 'ostd/src/mm/frame/meta.rs',
  requires: [
    mtfReq(
      'in_range',
      'FRAME_METADATA_RANGE.start <= vaddr && vaddr < FRAME_METADATA_RANGE.end',
      (c) => FRAME_METADATA_RANGE.start <= c.args.vaddr && c.args.vaddr < FRAME_METADATA_RANGE.end,
      (c) => ({ vaddr: c.args.vaddr, FRAME_METADATA_RANGE }),
    ),
    mtfReq('aligned', 'vaddr % META_SLOT_SIZE == 0', (c) => c.args.vaddr % SLOT === 0n),
  ],
  mayPanic: never('meta_to_frame'),
  ensures: [
    mtfEns(
      'spec',
      'res == meta_to_frame_spec(vaddr)',
      (c) => c.result === metaToFrame(c.args.vaddr),
      (c) => ({ res: c.result, 'meta_to_frame_spec(vaddr)': metaToFrame(c.args.vaddr) }),
    ),
    mtfEns('aligned', 'res % PAGE_SIZE == 0', (c) => c.result % PAGE_SIZE === 0),
  ],
  next: (c) => ret(c.old, metaToFrame(c.args.vaddr)),
  footprint: () => [],
});

// MetaSlot::addr_of --------------------------------------------------------------------------------

const aoReq = clauseMaker<PreCtx<SlotView, Empty>>('addr_of', 'requires');
const aoRet = clauseMaker<PostCtx<SlotView, Empty, Vaddr>>('addr_of', 'returns');

/** `MetaSlot::addr_of(&self) -> Paddr` with `Tracked(perm): Tracked<&PointsTo<MetaSlot>>` (`external_body`). */
export const addrOfSpec: OpSpec<SlotView, Empty, Vaddr> = Object.freeze({
  name: 'addr_of',
  rust: 'MetaSlot::addr_of',
  source: 'ostd/src/mm/frame/meta.rs',
  requires: [
    aoReq(
      'perm_value',
      'self == perm.value()',
      (c) => ghostEq(valueOf(c.old.perm), c.old.slot),
      (c) => ({ self: c.old.slot, 'perm.value()': valueOf(c.old.perm) }),
    ),
  ],
  mayPanic: never('addr_of'),
  ensures: [
    aoRet(
      'perm_addr',
      'returns perm.addr()',
      (c) => c.result === c.old.perm.addr,
      (c) => ({ result: c.result, 'perm.addr()': c.old.perm.addr }),
    ),
  ],
  next: (c) => ret(c.old, c.old.perm.addr),
  footprint: () => [],
});

/** The mapping and `addr_of` op specs, for the registry. */
export const MAPPING_OPS = [frameToMetaSpec, metaToFrameSpec, addrOfSpec] as const;
