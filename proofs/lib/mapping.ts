/**
 * The bit-vector twins of `spec/meta/mapping.ts`: u64 words, unsigned division, wrapping arithmetic
 * (the Rust functions' machine semantics). The mapping obligations are built from these, and each is
 * cross-checked against its TypeScript function (`MAPPING_TERMS`).
 */
import fc from 'fast-check';
import { bv, type Bv } from '../../src/prove/bv.ts';
import type { Term, ZBool, ZBv } from '../../src/prove/Obligation.ts';
import { frameToMeta, hasSafeSlot, metaToFrame } from '../../spec/meta/mapping.ts';
import { DEFAULT_MAX_PADDR, FRAME_METADATA_RANGE, META_SLOT_SIZE, PAGE_SIZE } from '../../spec/vocab.ts';
import { nat, num, u64 } from './inputs.ts';

const S = FRAME_METADATA_RANGE.start;
const E = FRAME_METADATA_RANGE.end;

/**
 * The largest `MAX_PADDR` whose every frame has a slot in `FRAME_METADATA_RANGE`: 2^34 slots of
 * 64 bytes describe 2^34 frames, i.e. 2^46 bytes (64 TiB) of physical memory.
 */
export const FMR_PADDR_LIMIT = ((E - S) / BigInt(META_SLOT_SIZE)) * BigInt(PAGE_SIZE);

/** `frame_to_meta(paddr) = FMR.start + (paddr / PAGE_SIZE) * META_SLOT_SIZE`. */
export function frameToMetaBv(b: Bv, paddr: ZBv): ZBv {
  return b.k(S).add(paddr.udiv(b.k(PAGE_SIZE)).mul(b.k(META_SLOT_SIZE)));
}

/** `meta_to_frame(vaddr) = ((vaddr − FMR.start) / META_SLOT_SIZE) * PAGE_SIZE`. */
export function metaToFrameBv(b: Bv, vaddr: ZBv): ZBv {
  return vaddr.sub(b.k(S)).udiv(b.k(META_SLOT_SIZE)).mul(b.k(PAGE_SIZE));
}

/** `frame_to_index(paddr) = paddr / PAGE_SIZE`. */
export function frameToIndexBv(b: Bv, paddr: ZBv): ZBv {
  return paddr.udiv(b.k(PAGE_SIZE));
}

/** `index_to_frame(i) = i * PAGE_SIZE`. */
export function indexToFrameBv(b: Bv, i: ZBv): ZBv {
  return i.mul(b.k(PAGE_SIZE));
}

/** `has_safe_slot(paddr) = paddr % PAGE_SIZE == 0 && paddr < MAX_PADDR`. */
export function hasSafeSlotBv(b: Bv, paddr: ZBv, maxPaddr: ZBv): ZBool {
  return b.z.And(b.multipleOf(paddr, PAGE_SIZE), paddr.ult(maxPaddr));
}

/** `frame_paddr_safety_cond`: `FMR.start <= vaddr < FMR.end && vaddr % META_SLOT_SIZE == 0`. */
export function framePaddrSafetyCondBv(b: Bv, vaddr: ZBv): ZBool {
  return b.z.And(b.within(vaddr, b.k(S), b.k(E)), b.multipleOf(vaddr, META_SLOT_SIZE));
}

/** The hypothesis of the frame lemmas: `MAX_PADDR <= FMR_PADDR_LIMIT` and `has_safe_slot(paddr)`. */
export function validFrameBv(b: Bv, paddr: ZBv, maxPaddr: ZBv): ZBool {
  return b.z.And(maxPaddr.ule(b.k(FMR_PADDR_LIMIT)), hasSafeSlotBv(b, paddr, maxPaddr));
}

/** The input of the frame lemmas: a physical address and the instance's `MAX_PADDR`. */
export type FrameInput = Readonly<{ paddr: number; maxPaddr: number }>;

/** The same hypothesis in TypeScript, through `hasSafeSlot`. */
export function validFrame(i: FrameInput): boolean {
  return BigInt(i.maxPaddr) <= FMR_PADDR_LIMIT && hasSafeSlot(i.paddr, i.maxPaddr);
}

const LIMIT = Number(FMR_PADDR_LIMIT);

const maxPaddrs = fc.oneof(
  fc.constant(DEFAULT_MAX_PADDR),
  fc.integer({ min: 0, max: LIMIT / PAGE_SIZE }).map((n) => n * PAGE_SIZE),
  fc.integer({ min: 0, max: LIMIT }),
  nat(PAGE_SIZE, [LIMIT]),
);

/** Frame inputs: `MAX_PADDR` vostd's 2 GiB or a random bound up to the limit or past it; addresses mostly below it. */
export const frameInputs: fc.Arbitrary<FrameInput> = maxPaddrs.chain((maxPaddr) =>
  fc
    .oneof(
      {
        weight: 2,
        arbitrary: fc
          .integer({ min: 0, max: Math.max(0, Math.ceil(maxPaddr / PAGE_SIZE) - 1) })
          .map((n) => n * PAGE_SIZE),
      },
      { weight: 1, arbitrary: nat(PAGE_SIZE, [maxPaddr, LIMIT]) },
    )
    .map((paddr) => ({ paddr, maxPaddr })),
);

/** Variables of the frame lemmas. */
export const FRAME_VARS = { paddr: 64, maxPaddr: 64 } as const;

/** The frame lemmas' variables, as terms. */
export function frameVars(b: Bv): { paddr: ZBv; maxPaddr: ZBv } {
  return { paddr: b.v('paddr'), maxPaddr: b.v('maxPaddr') };
}

/** Frame inputs to and from model values. */
export const frameCodec = {
  toInput: (m: Readonly<Record<string, bigint>>): FrameInput => ({
    paddr: num(m['paddr']),
    maxPaddr: num(m['maxPaddr']),
  }),
  fromInput: (i: FrameInput) => ({ paddr: BigInt(i.paddr), maxPaddr: BigInt(i.maxPaddr) }),
};

/** The building blocks of the frame lemmas, each against its TypeScript function. */
export const FRAME_TERMS: readonly Term<FrameInput>[] = [
  { name: 'frame_to_meta', encode: (z) => frameToMetaBv(bv(z), bv(z).v('paddr')), value: (i) => frameToMeta(i.paddr) },
  {
    name: 'meta_to_frame(frame_to_meta)',
    encode: (z) => metaToFrameBv(bv(z), frameToMetaBv(bv(z), bv(z).v('paddr'))),
    value: (i) => BigInt(metaToFrame(frameToMeta(i.paddr))),
  },
  {
    name: 'has_safe_slot',
    encode: (z) => hasSafeSlotBv(bv(z), bv(z).v('paddr'), bv(z).v('maxPaddr')),
    value: (i) => hasSafeSlot(i.paddr, i.maxPaddr),
  },
];

/** The input of the slot-address lemmas: a metadata virtual address, and `MAX_PADDR` for the bound. */
export type MetaInput = Readonly<{ vaddr: bigint; maxPaddr: number }>;

/** Slot addresses: inside `FRAME_METADATA_RANGE` (aligned or not), near its ends, or anywhere. */
export const metaInputs: fc.Arbitrary<MetaInput> = fc.record({
  vaddr: fc.oneof(
    fc.bigInt({ min: 0n, max: (E - S) / 64n - 1n }).map((i) => S + 64n * i),
    fc.bigInt({ min: 0n, max: 1n << 24n }).map((i) => S + 64n * i),
    fc.bigInt({ min: S, max: E }),
    u64([S, E, S + BigInt(DEFAULT_MAX_PADDR / 64)]),
  ),
  maxPaddr: maxPaddrs,
});

/** `meta_to_frame` is the TypeScript function only above `FMR.start`; below it Rust's subtraction underflows. */
export function metaToFrameTs(vaddr: bigint): bigint | undefined {
  return vaddr >= S ? BigInt(metaToFrame(vaddr)) : undefined;
}

/** Slot-address inputs to and from model values. */
export const metaCodec = {
  toInput: (m: Readonly<Record<string, bigint>>): MetaInput => ({
    vaddr: m['vaddr'] ?? 0n,
    maxPaddr: num(m['maxPaddr']),
  }),
  fromInput: (i: MetaInput) => ({ vaddr: i.vaddr, maxPaddr: BigInt(i.maxPaddr) }),
};

/** The building blocks of the slot-address lemmas. */
export const META_TERMS: readonly Term<MetaInput>[] = [
  {
    name: 'meta_to_frame',
    encode: (z) => metaToFrameBv(bv(z), bv(z).v('vaddr')),
    value: (i) => metaToFrameTs(i.vaddr),
  },
  {
    name: 'frame_to_meta(meta_to_frame)',
    encode: (z) => frameToMetaBv(bv(z), metaToFrameBv(bv(z), bv(z).v('vaddr'))),
    value: (i) => (i.vaddr >= S ? frameToMeta(metaToFrame(i.vaddr)) : undefined),
  },
];
