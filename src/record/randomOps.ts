/**
 * Random operation programs over the real frame layer, for recorded runs: each process holds the
 * handles its operations gave it, picks its next operation among those its handles allow, and at the
 * end drops everything it holds. A planned operation is its history invoke (`f`, `value`) and a
 * function that runs it and returns its `ok` value, so an interleaver can invoke now and run later.
 */
import type { FrameLayer } from '../../impl/frame/Frame.ts';
import { KernelMeta, unit } from '../../impl/meta/frameMeta.ts';
import type { SlotPtr } from '../../impl/meta/MetaSlot.ts';
import { PAGE_SIZE } from '../../impl/meta/pageSize.ts';
import type { HistoryOpName } from '../validate/History.ts';
import { OP_TABLE, type OpDef } from '../ops/opTable.ts';
import { hex } from './HistoryRecorder.ts';

/** A process's handles. */
export type Handles = { shared: SlotPtr[]; unique: SlotPtr[] };

/** One planned operation. */
export type Planned = Readonly<{
  f: HistoryOpName;
  value: Readonly<Record<string, unknown>>;
  run: () => Readonly<Record<string, unknown>>;
}>;

/** A small seeded generator (xorshift32). */
export function rng(seed: number): (n: number) => number {
  let s = seed | 0 || 0x2545f491;
  return (n) => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) % n;
  };
}

const META = unit(KernelMeta);

/** A planned operation in its table entry's history form. */
function plan(op: OpDef, paddr: string, run: Planned['run']): Planned {
  return { f: op.history.f, value: op.history.invoke(paddr), run };
}
const take = <T>(xs: T[], k: number): T => xs.splice(k % xs.length, 1)[0]!;

/** Plans a claim, an acquire or an observation of a random frame. */
function planAcquire(l: FrameLayer, h: Handles, frames: number, rand: (n: number) => number, unique: boolean): Planned {
  const paddr = rand(frames) * PAGE_SIZE;
  const keep = (r: SlotPtr | string, into: SlotPtr[]) =>
    typeof r === 'number' ? (into.push(r), { ok: true }) : { err: r };
  const k = rand(unique ? 3 : 2);
  if (k === 0) return plan(OP_TABLE.from_unused, hex(paddr), () => keep(l.fromUnused(paddr, META), h.shared));
  if (k === 1) return plan(OP_TABLE.from_in_use, hex(paddr), () => keep(l.fromInUse(paddr), h.shared));
  return plan(OP_TABLE.from_unused_unique, hex(paddr), () => keep(l.uniqueFromUnused(paddr, META), h.unique));
}

/** Plans an operation on a handle the process holds. */
function planHeld(l: FrameLayer, h: Handles, rand: (n: number) => number, unique: boolean): Planned | undefined {
  const k = rand(unique ? 7 : 4);
  if (h.shared.length > 0 && k <= 3) {
    const j = rand(h.shared.length);
    const s = h.shared[j]!;
    const v = hex(s * PAGE_SIZE);
    if (k === 0) return plan(OP_TABLE.clone, v, () => (l.clone(s), h.shared.push(s), { ok: true }));
    if (k === 1) return { f: 'ref_count', value: { paddr: v }, run: () => ({ value: l.referenceCount(s).toString() }) };
    if (k === 2 && unique)
      return plan(OP_TABLE.try_into_unique, v, () =>
        l.tryIntoUnique(s) ? (h.shared.splice(j, 1), h.unique.push(s), { ok: true }) : { err: 'InUse' },
      );
    return plan(OP_TABLE.drop, v, () => (h.shared.splice(h.shared.indexOf(s), 1), { ok: true, last: l.drop(s) }));
  }
  if (h.unique.length === 0) return undefined;
  const s = h.unique[rand(h.unique.length)]!;
  const v = hex(s * PAGE_SIZE);
  const release = () => void h.unique.splice(h.unique.indexOf(s), 1);
  if (k === 4) return plan(OP_TABLE.into_shared, v, () => (release(), l.intoShared(s), h.shared.push(s), { ok: true }));
  return plan(OP_TABLE.drop_unique, v, () => (release(), l.dropUnique(s), { ok: true }));
}

/** The next operation of a process: mostly on its own handles once it holds some. */
export function planNext(
  l: FrameLayer,
  h: Handles,
  frames: number,
  rand: (n: number) => number,
  unique: boolean,
): Planned {
  const held = h.shared.length + h.unique.length;
  if (held > 0 && (held > 6 || rand(10) < 6))
    return planHeld(l, h, rand, unique) ?? planAcquire(l, h, frames, rand, unique);
  return planAcquire(l, h, frames, rand, unique);
}

/** Plans the release of one handle the process still holds, or `undefined` when it holds none. */
export function planRelease(l: FrameLayer, h: Handles): Planned | undefined {
  const s = h.shared[0];
  if (s !== undefined)
    return plan(OP_TABLE.drop, hex(s * PAGE_SIZE), () => (take(h.shared, 0), { ok: true, last: l.drop(s) }));
  const u = h.unique[0];
  if (u !== undefined)
    return plan(OP_TABLE.drop_unique, hex(u * PAGE_SIZE), () => (take(h.unique, 0), l.dropUnique(u), { ok: true }));
  return undefined;
}
