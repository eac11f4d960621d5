/**
 * `AnyFrameMeta::on_drop` on its fast form: each predicate against its clause on generated readers,
 * the same report with the fast path as without over the real region, the catalog's on_drop,
 * drop_meta_in_place and drop_last_in_place mutants and a region publishing UNUSED before the metadata
 * drop, and each clause's predicate broken to always hold caught by that comparison.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { registerFrameMeta, type FrameMeta } from '../../impl/meta/frameMeta.ts';
import { MetaRegion as MetaRegionClass, type MetaRegion, type MetaRegionOptions } from '../../impl/meta/MetaSlot.ts';
import { vmReader } from '../../impl/meta/physMemory.ts';
import { PAGE_SIZE } from '../../impl/meta/pageSize.ts';
import { onDropSpec, type OnDropState } from '../../spec/meta/OnDrop.ts';
import { initialRegion } from '../../spec/meta/MetaRegionOwners.ts';
import { modelParams } from '../../spec/vocab.ts';
import { clauseMutantList } from '../mutants/clauseMutants.ts';
import { UnusedBeforeMetaDrop } from '../mutants/metaSlotMutants.ts';
import { CheckedFrameLayer } from './CheckedFrameLayer.ts';
import { CheckedMetaRegion } from './CheckedMetaRegion.ts';
import { useFastPathHooks } from './fixtures/fastPathHooks.ts';
import { setFastFormEdit, setFastPathEnabled } from './fastPath.ts';
import { readerOwner, readerView } from './internalCalls.ts';
import { newOnDropFootprint, onDropFast, type OnDropFootprint } from './internalFastForms.ts';

const MAX = 8 * PAGE_SIZE;
const p = modelParams({ maxPaddr: MAX });

useFastPathHooks();

const type = (name: string, onDrop?: (reader: import('../../impl/meta/physMemory.ts').VmReader) => void) =>
  registerFrameMeta<number>({
    name,
    size: 4,
    align: 4,
    encode: (v, out) => out.setUint32(0, v, true),
    decode: (b) => b.getUint32(0, true),
    ...(onDrop !== undefined && { onDrop: (_v: number, reader) => onDrop(reader) }),
  });
/** The metadata dropped: the trait's default body, one reading the whole frame, one reading 24 bytes, a page-table node. */
const METAS: readonly FrameMeta[] = [
  { type: type('OnDropFastQuiet'), value: 1 },
  {
    type: type('OnDropFastReadsAll', (r) => {
      while (r.remain() > 0) r.readBytes(1000);
    }),
    value: 2,
  },
  { type: type('OnDropFastReadsSome', (r) => void r.readBytes(24)), value: 3 },
  { type: type('PageTablePageMeta', (r) => void r.readBytes(8)), value: 4 },
];

describe('each on_drop predicate answers exactly its clause on the readers a drop builds', () => {
  it('on generated readers, owners moved by generated reads and both values of regions.inv()', () => {
    const check = onDropFast(p)!;
    const names = [...check.requiresOf, ...check.ensuresOf].map((c) => c.name);
    const clauses = [...onDropSpec.requires, ...onDropSpec.ensures];
    const small = fc.integer({ min: -2, max: 10 }).map((k) => k * PAGE_SIZE);
    const off = fc.oneof(fc.integer({ min: -PAGE_SIZE, max: 2 * PAGE_SIZE }), fc.constantFrom(0, 8, PAGE_SIZE));
    fc.assert(
      fc.property(small, off, off, off, off, fc.boolean(), fc.boolean(), (paddr, len, c, e, read, inv, dflt) => {
        const f: OnDropFootprint = {
          ...newOnDropFootprint(),
          paddr,
          len,
          cursor: paddr + c,
          end: paddr + e,
          ownerStart: paddr + read,
          regionsInv: inv,
          defaultPre: dflt,
        };
        const at = { paddr, len, cursor: f.cursor, end: f.end } as never;
        const owner = readerOwner(at, 7, p);
        const moved = { ...owner, range: { start: owner.range.start + BigInt(read), end: owner.range.end } };
        // regions_inv and on_drop_pre read the region and the type: stand-ins whose value is `inv` / `dflt`.
        const s: OnDropState = {
          self: { type: dflt ? 'OnDropFastQuiet' : 'PageTablePageMeta', bytes: [] } as never,
          reader: readerView(at, 7),
          regions: initialRegion(p),
          vmIoOwner: moved,
          invAt: [],
        };
        const ctx = { old: s, final: s, args: {}, p, result: undefined };
        [...check.requires, ...check.ensures].forEach((fast, k) => {
          const name = names[k]!;
          if (name.endsWith('.regions_inv')) return expect(fast(f)).toBe(inv);
          if (name.endsWith('.on_drop_pre')) return expect(fast(f) ? true : dflt).toBe(dflt);
          expect([name, fast(f)]).toEqual([name, clauses[k]!.holds(ctx as never)]);
        });
      }),
      { numRuns: 3000, seed: 11 },
    );
  });
});

type Make = ((o: MetaRegionOptions) => MetaRegion) | undefined;
const DROP_OPS = ['on_drop', 'drop_meta_in_place', 'drop_last_in_place'];
const REGIONS: readonly [string, Make][] = [
  ['real', undefined],
  ['unused-before-meta-drop', (o) => new UnusedBeforeMetaDrop(o)],
  ['reader-read-before-on-drop', (o) => new ReaderReadBefore(o)],
  ...clauseMutantList()
    .filter((m) => m.target === 'meta-slot' && m.region !== undefined && DROP_OPS.includes(m.op))
    .map((m): [string, Make] => [m.name, (o) => m.region!(o, false)]),
];

/** The violations of claiming and dropping each kind of metadata through the region, then through a frame layer. */
function report(make: Make, fast: boolean, level: 'full' | 'cheap') {
  setFastPathEnabled(fast);
  try {
    const thrown: string[] = [];
    const attempt = (f: () => void) => {
      try {
        f();
      } catch (e) {
        thrown.push(String(e));
      }
    };
    const r = new CheckedMetaRegion({ maxPaddr: MAX, mode: 'collect', level }, make);
    METAS.forEach((meta, k) => {
      for (const i of [k + 1, k + 1])
        attempt(() => void (r.getFromUnused(i * PAGE_SIZE, meta, true) === i && r.dropLastInPlace(i)));
    });
    const l = new CheckedFrameLayer({ maxPaddr: MAX, mode: 'collect', level, ...(make && { makeRegion: make }) });
    for (const meta of METAS)
      attempt(() => {
        const h = l.fromUnused(2 * PAGE_SIZE, meta);
        if (typeof h !== 'string') l.drop(h);
      });
    const all = [...r.violations, ...l.violations, ...thrown];
    return JSON.stringify(all, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));
  } finally {
    setFastPathEnabled(true);
  }
}

/** The first region and level whose report differs with the fast path from without it. */
function firstDifference(): string | undefined {
  for (const [name, make] of REGIONS)
    for (const level of ['full', 'cheap'] as const)
      if (report(make, true, level) !== report(make, false, level)) return `${name} at ${level}`;
  return undefined;
}

/** A `drop_meta_in_place` that reads 8 bytes of the reader before handing it on: only `reader_wf` breaks (the owner is the fresh reader's). */
class ReaderReadBefore extends MetaRegionClass {
  override dropMetaInPlace(slot: number): void {
    const meta = this.dynMeta(slot);
    const reader = vmReader(this.phys, this.framePaddr(slot), PAGE_SIZE);
    reader.cursor += 8;
    if (meta !== undefined) this.onDrop(slot, meta, reader);
    this.mem.writePlain(slot * this.layout.wordsPerSlot + this.layout.vtable, 0n);
  }
}

/**
 * The clauses whose failure implies another's on every reader a drop builds (a single broken predicate
 * there cannot change a report: the other sends the call to the full check): `reader_inv` and
 * `vm_io_owner_inv` imply `reader_wf` (before and after), and `ensures.regions_inv` is the requires'
 * value (the fast path takes only bodies that write nothing). And `requires.regions_inv` and
 * `requires.reader_wf` have an ensures twin that fails with them on these bodies (the region is not
 * written; the owner follows the reads, so a cursor off the owner's start stays off it): broken alone,
 * the twin still sends the call to the full check.
 */
const IMPLIED = [
  'on_drop.requires.regions_inv',
  'on_drop.requires.reader_wf',
  'on_drop.requires.reader_inv',
  'on_drop.requires.vm_io_owner_inv',
  'on_drop.ensures.regions_inv',
  'on_drop.ensures.reader_inv',
  'on_drop.ensures.vm_io_owner_inv',
];
const CLAUSES = [...onDropSpec.requires, ...onDropSpec.ensures].map((c) => c.name);

describe('on_drop reports the same with its fast form as without', () => {
  it('over the real region and the drop mutants, at full and cheap', () => {
    expect(REGIONS.length).toBeGreaterThan(8);
    expect(firstDifference()).toBeUndefined();
  });

  it('the runs falsify every clause of on_drop', () => {
    const failed = new Set<string>();
    for (const [, make] of REGIONS)
      for (const v of JSON.parse(report(make, false, 'full')) as { clause?: string }[])
        if (v.clause) failed.add(v.clause);
    expect(CLAUSES.filter((c) => !failed.has(c))).toEqual([]);
  });

  it.each(CLAUSES.filter((c) => !IMPLIED.includes(c)))(
    'a fast form broken to always hold at %s is caught by the comparison',
    (clause) => {
      setFastFormEdit((_op, form) =>
        clause in form.clauses ? { ...form, clauses: { ...form.clauses, [clause]: () => true } } : form,
      );
      expect(firstDifference()).toBeDefined();
    },
  );
});

describe('on_drop under a sampling level', () => {
  it('a drop the sampler passes over runs the body unchecked, one it picks is checked and caught', () => {
    // A reader left past its end: broken whenever on_drop is checked, so the report counts the checked drops.
    const bad = clauseMutantList().find((m) => m.name === 'on_drop/cursor-past-end')!;
    const r = new CheckedMetaRegion({ maxPaddr: MAX, mode: 'collect', level: 'sample:4' }, (o) =>
      bad.region!(o, false),
    );
    let bodies = 0;
    const meta: FrameMeta = { type: type('OnDropFastCounted', () => void bodies++), value: 5 };
    for (let k = 0; k < 40; k++) if (r.getFromUnused(PAGE_SIZE, meta, true) === 1) r.dropLastInPlace(1);
    const caught = r.violations.filter((v) => v.clause === 'on_drop.ensures.reader_inv').length;
    expect(bodies).toBe(40);
    expect(caught).toBeGreaterThan(0);
    expect(caught).toBeLessThan(40);
  });
});
