import { describe, expect, it } from 'vitest';
import { KernelAbort } from './abort.ts';
import {
  FrameMetaLayoutError,
  KernelMeta,
  registerFrameMeta,
  UnitMeta,
  unit,
  type FrameMeta,
  type FrameMetaType,
} from './frameMeta.ts';
import { Ordering, SPURIOUS_FAILURE, type Memory } from './memory.ts';
import { LegacyMetaRegion, MetaRegion, type SlotPtr } from './MetaSlot.ts';
import { PAGE_SIZE } from './pageSize.ts';
import type { VmReader } from './physMemory.ts';

const MAX = 16 * PAGE_SIZE;
const U64_UNUSED = (1n << 64n) - 1n;
const U32_UNUSED = (1n << 32n) - 1n;

type Pair = { a: number; b: bigint };
/** A metadata type with fields, so that a round trip through the 40 storage bytes is observable. */
const PairMeta: FrameMetaType<Pair> = registerFrameMeta<Pair>({
  name: 'MetaSlotTestPair',
  size: 16,
  align: 8,
  encode: (v, out) => {
    out.setUint32(0, v.a, true);
    out.setBigUint64(8, v.b, true);
  },
  decode: (bytes) => ({ a: bytes.getUint32(0, true), b: bytes.getBigUint64(8, true) }),
});
const pair = (a: number, b: bigint): FrameMeta<Pair> => ({ type: PairMeta, value: { a, b } });

const region = (opts: { refCountMax?: bigint; wrapMemory?: (m: Memory) => Memory } = {}) =>
  new MetaRegion({ maxPaddr: MAX, ...opts });
const setCount = (r: MetaRegion, slot: SlotPtr, v: bigint) => r.mem.store(r.refCountWord(slot), v, Ordering.Relaxed);
const vtableWord = (r: MetaRegion, slot: SlotPtr) => r.mem.readPlain(slot * r.layout.wordsPerSlot + r.layout.vtable);

/** A memory whose next `failures` weak CASes fail spuriously; every other access goes to `base`. */
class FlakyWeakCas implements Memory {
  readonly base: Memory;
  failures: number;
  constructor(base: Memory, failures: number) {
    this.base = base;
    this.failures = failures;
  }
  load = (w: number, o: Ordering) => this.base.load(w, o);
  store = (w: number, v: bigint, o: Ordering) => this.base.store(w, v, o);
  compareExchange = (w: number, e: bigint, d: bigint, o: Ordering) => this.base.compareExchange(w, e, d, o);
  compareExchangeWeak = (w: number, e: bigint, d: bigint, o: Ordering) =>
    this.failures-- > 0 ? SPURIOUS_FAILURE : this.base.compareExchangeWeak(w, e, d, o);
  fetchAdd = (w: number, d: bigint, o: Ordering) => this.base.fetchAdd(w, d, o);
  fetchSub = (w: number, d: bigint, o: Ordering) => this.base.fetchSub(w, d, o);
  fence = (o: Ordering) => this.base.fence(o);
  readPlain = (w: number) => this.base.readPlain(w);
  writePlain = (w: number, v: bigint) => this.base.writePlain(w, v);
}

/** A memory that logs every write as `kind(word=value)`, with the count word's value at that moment. */
function loggingMemory(log: string[], countWord: () => number) {
  return (base: Memory): Memory => {
    const m = new FlakyWeakCas(base, 0);
    const rc = () => base.load(countWord(), Ordering.Relaxed);
    m.compareExchange = (w, e, d, o) => {
      const v = base.compareExchange(w, e, d, o);
      log.push(`cas(${w}:${e}->${d} saw ${v}, order ${o})`);
      return v;
    };
    m.store = (w, v, o) => (log.push(`store(${w}=${v}, order ${o})`), base.store(w, v, o));
    m.writePlain = (w, v) => (log.push(`plain(${w}) while rc=${rc()}`), base.writePlain(w, v));
    return m;
  };
}

describe('MetaRegion.getSlot', () => {
  const r = region();
  it('maps an aligned address below MAX_PADDR to its frame index', () => {
    expect(r.getSlot(0)).toBe(0);
    expect(r.getSlot(5 * PAGE_SIZE)).toBe(5);
    expect(r.getSlot(MAX - PAGE_SIZE)).toBe(15);
  });
  it('checks alignment before the bound', () => {
    expect(r.getSlot(PAGE_SIZE + 1)).toBe('NotAligned');
    expect(r.getSlot(MAX)).toBe('OutOfBound');
    expect(r.getSlot(MAX + 1)).toBe('NotAligned');
    expect(r.getSlot(MAX + 8)).toBe('NotAligned');
  });
  it('never turns a bad address into a slot', () => {
    for (const bad of [
      -PAGE_SIZE,
      -1,
      0.5,
      PAGE_SIZE + 0.5,
      NaN,
      Infinity,
      -Infinity,
      2 ** 60,
      Number.MAX_SAFE_INTEGER,
    ]) {
      expect(typeof r.getSlot(bad), `getSlot(${bad})`).toBe('string');
      expect(typeof r.getFromUnused(bad, unit(KernelMeta), false), `getFromUnused(${bad})`).toBe('string');
      expect(typeof r.getFromInUse(bad), `getFromInUse(${bad})`).toBe('string');
    }
    expect(r.getSlot(-PAGE_SIZE)).toBe('OutOfBound');
    expect(r.getSlot(2 ** 60)).toBe('OutOfBound');
    expect(r.getSlot(NaN)).toBe('NotAligned');
    expect(r.getSlot(0.5)).toBe('NotAligned');
    for (let s = 0; s < 16; s++) expect(r.refCount(s)).toBe(U64_UNUSED);
  });
});

describe('MetaRegion.getFromUnused', () => {
  it('claims an unused slot: metadata written, count 1', () => {
    const r = region();
    expect(r.getFromUnused(3 * PAGE_SIZE, pair(7, 9n), false)).toBe(3);
    expect(r.refCount(3)).toBe(1n);
    expect(r.inList(3)).toBe(0n);
    expect(r.dynMeta(3)).toEqual({ type: PairMeta, value: { a: 7, b: 9n } });
  });
  it('claims as unique: count REF_COUNT_UNIQUE', () => {
    const r = region();
    expect(r.getFromUnused(0, unit(KernelMeta), true)).toBe(0);
    expect(r.refCount(0)).toBe(r.REF_COUNT_UNIQUE);
    expect(r.REF_COUNT_UNIQUE).toBe(U64_UNUSED - 1n);
  });
  it('writes the metadata while the count is 0, then publishes it (Release for shared, Relaxed for unique)', () => {
    const log: string[] = [];
    const r = region({ wrapMemory: loggingMemory(log, () => 5 * 8 + 5) });
    r.getFromUnused(5 * PAGE_SIZE, unit(KernelMeta), false);
    const word = r.refCountWord(5);
    expect(log[0]).toBe(`cas(${word}:${U64_UNUSED}->0 saw ${U64_UNUSED}, order ${Ordering.Acquire})`);
    expect(log.slice(1, -1).length).toBeGreaterThan(0);
    expect(log.slice(1, -1).every((l) => l.startsWith('plain(') && l.endsWith('while rc=0'))).toBe(true);
    expect(log.at(-1)).toBe(`store(${word}=1, order ${Ordering.Release})`);
    log.length = 0;
    r.dropLastInPlace(5);
    log.length = 0;
    r.getFromUnused(5 * PAGE_SIZE, unit(KernelMeta), true);
    expect(log.at(-1)).toBe(`store(${word}=${r.REF_COUNT_UNIQUE}, order ${Ordering.Relaxed})`);
  });
  it('reports the count it observed: UNIQUE → Unique, 0 → Busy, anything else → InUse; and changes nothing', () => {
    const r = region();
    r.getFromUnused(0, pair(1, 1n), true);
    expect(r.getFromUnused(0, pair(2, 2n), false)).toBe('Unique');
    r.getFromUnused(PAGE_SIZE, pair(1, 1n), false);
    expect(r.getFromUnused(PAGE_SIZE, pair(2, 2n), false)).toBe('InUse');
    setCount(r, 2, 0n);
    expect(r.getFromUnused(2 * PAGE_SIZE, pair(2, 2n), false)).toBe('Busy');
    setCount(r, 4, 1234n);
    expect(r.getFromUnused(4 * PAGE_SIZE, pair(2, 2n), false)).toBe('InUse');
    expect([r.refCount(0), r.refCount(1), r.refCount(2), r.refCount(4)]).toEqual([r.REF_COUNT_UNIQUE, 1n, 0n, 1234n]);
    expect(r.dynMeta(0)?.value).toEqual({ a: 1, b: 1n });
    expect(r.dynMeta(1)?.value).toEqual({ a: 1, b: 1n });
    expect(r.dynMeta(2)).toBeUndefined();
  });
  it('returns the slot error for an address without a slot', () => {
    const r = region();
    expect(r.getFromUnused(MAX, unit(KernelMeta), false)).toBe('OutOfBound');
    expect(r.getFromUnused(MAX + 1, unit(KernelMeta), false)).toBe('NotAligned');
  });
});

describe('MetaRegion.getFromInUse', () => {
  it('adds a reference to a shared slot', () => {
    const r = region();
    r.getFromUnused(PAGE_SIZE, unit(KernelMeta), false);
    expect(r.getFromInUse(PAGE_SIZE)).toBe(1);
    expect(r.getFromInUse(PAGE_SIZE)).toBe(1);
    expect(r.refCount(1)).toBe(3n);
  });
  it('reports UNUSED → Unused, UNIQUE → Unique, 0 → Busy, leaving the count alone', () => {
    const r = region();
    expect(r.getFromInUse(0)).toBe('Unused');
    r.getFromUnused(PAGE_SIZE, unit(KernelMeta), true);
    expect(r.getFromInUse(PAGE_SIZE)).toBe('Unique');
    setCount(r, 2, 0n);
    expect(r.getFromInUse(2 * PAGE_SIZE)).toBe('Busy');
    expect([r.refCount(0), r.refCount(1), r.refCount(2)]).toEqual([U64_UNUSED, r.REF_COUNT_UNIQUE, 0n]);
  });
  it('aborts at REF_COUNT_MAX without incrementing', () => {
    const r = region({ refCountMax: 4n });
    r.getFromUnused(0, unit(KernelMeta), false);
    for (let k = 0; k < 3; k++) expect(r.getFromInUse(0)).toBe(0);
    expect(r.refCount(0)).toBe(4n);
    expect(() => r.getFromInUse(0)).toThrow(KernelAbort);
    expect(r.refCount(0)).toBe(4n);
    setCount(r, 0, 3n);
    expect(r.getFromInUse(0)).toBe(0);
    try {
      r.getFromInUse(0);
      expect.unreachable();
    } catch (e) {
      expect((e as KernelAbort).reason).toBe('ref_count_overflow');
    }
  });
  it('retries after a spurious CAS failure: the loop body says Retry, the loop goes on', () => {
    let flaky: FlakyWeakCas | undefined;
    const r = region({ wrapMemory: (m) => (flaky = new FlakyWeakCas(m, 0)) });
    r.getFromUnused(0, unit(KernelMeta), false);
    flaky!.failures = 1;
    expect(r.getFromInUseLoop(0)).toBe('Retry');
    expect(r.refCount(0)).toBe(1n);
    expect(r.getFromInUseLoop(0)).toBe(0);
    expect(r.refCount(0)).toBe(2n);
    flaky!.failures = 3;
    expect(r.getFromInUse(0)).toBe(0);
    expect(flaky!.failures).toBe(-1);
    expect(r.refCount(0)).toBe(3n);
  });
});

describe('MetaRegion per-slot operations', () => {
  it('incRefCount adds one, and aborts after the add when the old count was at least REF_COUNT_MAX', () => {
    const r = region({ refCountMax: 4n });
    r.getFromUnused(0, unit(KernelMeta), false);
    r.incRefCount(0);
    r.incRefCount(0);
    r.incRefCount(0);
    expect(r.refCount(0)).toBe(4n);
    expect(() => r.incRefCount(0)).toThrow(KernelAbort);
    expect(r.refCount(0)).toBe(5n);
  });
  it('framePaddr and asMetaPtr point at the slot; readMeta checks the type', () => {
    const r = region();
    r.getFromUnused(6 * PAGE_SIZE, pair(3, 4n), false);
    expect(r.framePaddr(6)).toBe(6 * PAGE_SIZE);
    const ptr = r.asMetaPtr(6, PairMeta);
    expect(ptr.slot).toBe(6);
    expect(r.readMeta(ptr)).toEqual({ a: 3, b: 4n });
    expect(r.readMeta(r.asMetaPtr(6, KernelMeta))).toBeUndefined();
  });
  it('writeMeta installs the vtable and the storage; dropMetaInPlace clears the vtable and keeps the count', () => {
    const r = region();
    setCount(r, 2, 0n);
    r.writeMeta(2, pair(0xffff_ffff, (1n << 64n) - 1n));
    expect(vtableWord(r, 2)).toBe(PairMeta.vtable);
    expect(r.dynMeta(2)?.value).toEqual({ a: 0xffff_ffff, b: (1n << 64n) - 1n });
    r.dropMetaInPlace(2);
    expect(vtableWord(r, 2)).toBe(0n);
    expect(r.dynMeta(2)).toBeUndefined();
    expect(r.refCount(2)).toBe(0n);
  });
  it('dropLastInPlace runs on_drop with a reader over the frame, then publishes UNUSED', () => {
    const seen: { value: number; paddr: number; len: number; bytes: number[]; rc: bigint }[] = [];
    const r = region();
    const Dropping = registerFrameMeta<number>({
      name: 'MetaSlotTestDropping',
      size: 4,
      align: 4,
      encode: (v, out) => out.setUint32(0, v, true),
      decode: (b) => b.getUint32(0, true),
      onDrop: (value: number, reader: VmReader) =>
        seen.push({
          value,
          paddr: reader.paddr,
          len: reader.len,
          bytes: [...reader.read(PAGE_SIZE - 2, 8)],
          rc: r.refCount(9),
        }),
    });
    r.phys.write(10 * PAGE_SIZE - 2, new Uint8Array([0xaa, 0xbb, 0xcc, 0xdd]));
    r.getFromUnused(9 * PAGE_SIZE, { type: Dropping, value: 42 }, true);
    r.dropLastInPlace(9);
    expect(seen).toEqual([
      { value: 42, paddr: 9 * PAGE_SIZE, len: PAGE_SIZE, bytes: [0xaa, 0xbb], rc: r.REF_COUNT_UNIQUE },
    ]);
    expect(r.refCount(9)).toBe(U64_UNUSED);
    expect(r.dynMeta(9)).toBeUndefined();
    expect(r.getFromUnused(9 * PAGE_SIZE, unit(UnitMeta), false)).toBe(9);
  });
  it('in_list reads back what was stored', () => {
    const r = region();
    expect(r.inList(3)).toBe(0n);
    r.setInList(3, 77n);
    expect(r.inList(3)).toBe(77n);
  });
});

describe('LegacyMetaRegion (u32 counts, no unique state, no in_list)', () => {
  const legacy = (opts: { refCountMax?: bigint } = {}) => new LegacyMetaRegion({ maxPaddr: MAX, ...opts });
  it('uses the u32 sentinels', () => {
    const r = legacy();
    expect(r.REF_COUNT_UNUSED).toBe(U32_UNUSED);
    expect(r.REF_COUNT_MAX).toBe((1n << 31n) - 1n);
    expect(r.refCount(0)).toBe(U32_UNUSED);
  });
  it('claims shared frames only', () => {
    const r = legacy();
    expect(r.getFromUnused(0, unit(KernelMeta), false)).toBe(0);
    expect(r.refCount(0)).toBe(1n);
    expect(() => r.getFromUnused(PAGE_SIZE, unit(KernelMeta), true)).toThrow(RangeError);
    expect(r.refCount(1)).toBe(U32_UNUSED);
  });
  it('never reports Unique: 0 → Busy, any other count → InUse; in use: UNUSED → Unused, 0 → Busy', () => {
    const r = legacy();
    setCount(r, 1, 0n);
    expect(r.getFromUnused(PAGE_SIZE, unit(KernelMeta), false)).toBe('Busy');
    expect(r.getFromInUse(PAGE_SIZE)).toBe('Busy');
    setCount(r, 2, U32_UNUSED - 1n);
    expect(r.getFromUnused(2 * PAGE_SIZE, unit(KernelMeta), false)).toBe('InUse');
    expect(() => r.getFromInUse(2 * PAGE_SIZE)).toThrow(KernelAbort);
    expect(r.getFromInUse(3 * PAGE_SIZE)).toBe('Unused');
    r.getFromUnused(3 * PAGE_SIZE, unit(KernelMeta), false);
    expect(r.getFromInUse(3 * PAGE_SIZE)).toBe(3);
    expect(r.refCount(3)).toBe(2n);
  });
  it('aborts at its REF_COUNT_MAX', () => {
    const r = legacy({ refCountMax: 2n });
    r.getFromUnused(0, unit(KernelMeta), false);
    expect(r.getFromInUse(0)).toBe(0);
    expect(() => r.getFromInUse(0)).toThrow(KernelAbort);
  });
  it('wraps at 2^32: inc_ref_count on an unused slot wraps the count to 0, then aborts', () => {
    const r = legacy();
    expect(() => r.incRefCount(4)).toThrow(KernelAbort);
    expect(r.refCount(4)).toBe(0n);
    setCount(r, 5, (1n << 32n) + 3n);
    expect(r.refCount(5)).toBe(3n);
  });
  it('has no in_list', () => {
    expect(legacy().inList(0)).toBe(0n);
  });
  it('deallocates the frame in drop_last_in_place, after UNUSED is published', () => {
    const r = legacy();
    const calls: { paddr: number; rc: bigint }[] = [];
    r.dealloc = (paddr) => calls.push({ paddr, rc: r.refCount(paddr / PAGE_SIZE) });
    r.getFromUnused(7 * PAGE_SIZE, pair(1, 2n), false);
    setCount(r, 7, 0n);
    r.dropLastInPlace(7);
    expect(calls).toEqual([{ paddr: 7 * PAGE_SIZE, rc: U32_UNUSED }]);
    expect(r.dynMeta(7)).toBeUndefined();
  });
  it('stores metadata in its 48 storage bytes', () => {
    const r = legacy();
    r.getFromUnused(0, pair(0xdead_beef, 0x0123_4567_89ab_cdefn), false);
    expect(r.dynMeta(0)?.value).toEqual({ a: 0xdead_beef, b: 0x0123_4567_89ab_cdefn });
  });
});

describe('frame metadata registration', () => {
  const codec = { encode: () => {}, decode: () => null };
  it('refuses a type larger than 40 bytes, naming it', () => {
    expect(() => registerFrameMeta({ name: 'TooBig48', size: 48, align: 8, ...codec })).toThrow(FrameMetaLayoutError);
    expect(() => registerFrameMeta({ name: 'TooBig48', size: 48, align: 8, ...codec })).toThrow(/TooBig48.*48 bytes/);
  });
  it('refuses an over-aligned type, naming it', () => {
    expect(() => registerFrameMeta({ name: 'OverAligned128', size: 8, align: 128, ...codec })).toThrow(
      /OverAligned128.*alignment 128/,
    );
    expect(() => registerFrameMeta({ name: 'OddAligned', size: 8, align: 3, ...codec })).toThrow(/OddAligned/);
  });
  it('accepts the largest layout that fits, and returns the same type for the same name', () => {
    const t = registerFrameMeta({ name: 'Fits40x64', size: 40, align: 64, ...codec });
    expect(registerFrameMeta({ name: 'Fits40x64', size: 40, align: 64, ...codec })).toBe(t);
    expect(t.vtable).not.toBe(0n);
  });
});
