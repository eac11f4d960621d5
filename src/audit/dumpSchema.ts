/**
 * The JSON metadata-region dump ([docs/formats.md](../../docs/formats.md), "Metadata-region dumps"),
 * parsed with zod at the edge and then checked for what a schema cannot say (aligned addresses inside
 * the region, no slot listed twice). Every failure is one line naming the field, or the line of a JSON
 * syntax error. Metadata type names are the kernel's own; `metaTypes` declares the usage of those
 * that are not ordinary frames.
 */
import { z } from 'zod';
import type { PaddrRange } from '../../spec/frame/accounting.ts';
import { MAX_MODEL_PADDR, PAGE_SIZE } from '../../spec/vocab.ts';
import { hexAddr, u64, zodLine } from '../validate/u64.ts';
import { META_USAGES, type MetaTypeUsages } from './metaTypes.ts';
import type { DumpedSlot } from './slotRules.ts';
import { parseJson } from '../jsonSyntax.ts';

/** The format tag of a JSON dump. */
export const DUMP_FORMAT = 'framecheck/meta-region@1';

const Slot = z.object({
  paddr: u64,
  refCount: u64,
  meta: z
    .object(
      { type: z.string('must be a string').min(1, 'must not be empty').max(200, 'is longer than 200 characters') },
      'must be {"type": NAME} or null',
    )
    .nullable(),
  inList: u64,
});
const Handle = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('frame'), paddr: u64 }),
    z.object({ kind: z.literal('unique'), paddr: u64 }),
    z.object({ kind: z.literal('pte'), paddr: u64 }),
    z.object({ kind: z.literal('segment'), start: u64, end: u64 }),
  ],
  'kind must be frame, unique, pte or segment',
);
const Range = z.object({ start: u64, end: u64 });
const Dump = z.object({
  format: z.literal(DUMP_FORMAT, `must be "${DUMP_FORMAT}"`),
  pageSize: z.literal(PAGE_SIZE, `must be ${PAGE_SIZE}`),
  maxPaddr: u64,
  slots: z.array(Slot, 'must be an array of slots'),
  handles: z.array(Handle, 'must be an array of handles').optional(),
  free: z.array(Range, 'must be an array of {start, end}').optional(),
  metaTypes: z
    .record(z.string(), z.enum(META_USAGES, `must be one of ${META_USAGES.join(', ')}`), 'must be {"NAME": USAGE, …}')
    .optional(),
});

/** A live reference the dump's owner knows of. */
export type DumpHandle =
  | Readonly<{ kind: 'frame' | 'unique' | 'pte'; paddr: number }>
  | Readonly<{ kind: 'segment'; start: number; end: number }>;

/** A parsed JSON dump. */
export type JsonDump = Readonly<{
  maxPaddr: number;
  slots: readonly DumpedSlot[];
  handles: readonly DumpHandle[] | undefined;
  free: readonly PaddrRange[] | undefined;
  /** The usages the dump declares for its metadata types. */
  metaTypes: MetaTypeUsages;
}>;

/** `v` as a page-aligned address inside the region, or the reason it is not one. */
function frameAddr(v: bigint, maxPaddr: number, where: string, end = false): number | string {
  if (v % BigInt(PAGE_SIZE) !== 0n) return `${where}: ${hexAddr(v)} is not page-aligned`;
  if (end ? v > BigInt(maxPaddr) : v >= BigInt(maxPaddr))
    return `${where}: ${hexAddr(v)} is beyond maxPaddr ${hexAddr(maxPaddr)}`;
  return Number(v);
}

type Parsed = z.infer<typeof Dump>;

function slotsOf(d: Parsed, maxPaddr: number): DumpedSlot[] | string {
  const seen = new Set<number>();
  const out: DumpedSlot[] = [];
  for (const [k, s] of d.slots.entries()) {
    const paddr = frameAddr(s.paddr, maxPaddr, `slots[${k}].paddr`);
    if (typeof paddr === 'string') return paddr;
    if (seen.has(paddr)) return `slots[${k}].paddr: frame ${hexAddr(paddr)} is listed twice`;
    seen.add(paddr);
    out.push({ paddr, refCount: s.refCount, meta: s.meta?.type, inList: s.inList });
  }
  return out;
}

function rangeOf(r: { start: bigint; end: bigint }, maxPaddr: number, where: string): PaddrRange | string {
  const start = frameAddr(r.start, maxPaddr, `${where}.start`);
  if (typeof start === 'string') return start;
  const end = frameAddr(r.end, maxPaddr, `${where}.end`, true);
  if (typeof end === 'string') return end;
  return start < end
    ? { start, end }
    : `${where}: the range ${hexAddr(start)}..${hexAddr(end)} is empty or inverted (end is exclusive)`;
}

function handlesOf(d: Parsed, maxPaddr: number): DumpHandle[] | string | undefined {
  if (d.handles === undefined) return undefined;
  const out: DumpHandle[] = [];
  for (const [k, h] of d.handles.entries()) {
    const r =
      h.kind === 'segment'
        ? rangeOf(h, maxPaddr, `handles[${k}]`)
        : frameAddr(h.paddr, maxPaddr, `handles[${k}].paddr`);
    if (typeof r === 'string') return r;
    out.push(typeof r === 'number' ? { kind: h.kind as 'frame', paddr: r } : { kind: 'segment', ...r });
  }
  return out;
}

function freeOf(d: Parsed, maxPaddr: number): PaddrRange[] | string | undefined {
  if (d.free === undefined) return undefined;
  const out: PaddrRange[] = [];
  for (const [k, r] of d.free.entries()) {
    const range = rangeOf(r, maxPaddr, `free[${k}]`);
    if (typeof range === 'string') return range;
    out.push(range);
  }
  return out;
}

/** Parses a JSON dump, or returns the one-line reason it is bad input. */
export function parseJsonDump(text: string): JsonDump | { error: string } {
  const parsed = parseJson(text);
  if ('error' in parsed) return { error: parsed.error };
  const d = Dump.safeParse(parsed.value);
  if (!d.success) return { error: zodLine('', d.error) };
  if (d.data.maxPaddr === 0n || d.data.maxPaddr > BigInt(MAX_MODEL_PADDR))
    return { error: `maxPaddr: ${hexAddr(d.data.maxPaddr)} is outside 1..=2^${Math.log2(MAX_MODEL_PADDR)}` };
  const maxPaddr = Number(d.data.maxPaddr);
  const slots = slotsOf(d.data, maxPaddr);
  const handles = handlesOf(d.data, maxPaddr);
  const free = freeOf(d.data, maxPaddr);
  for (const x of [slots, handles, free]) if (typeof x === 'string') return { error: x };
  return {
    maxPaddr,
    slots: slots as DumpedSlot[],
    handles: handles as DumpHandle[] | undefined,
    free: free as PaddrRange[] | undefined,
    metaTypes: new Map(Object.entries(d.data.metaTypes ?? {})),
  };
}
