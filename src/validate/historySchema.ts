/**
 * The zod schemas of history events (docs/formats.md "Histories"): one entry per operation with the schema of its
 * invoke value and of its `ok` value, so the parser never switches on an operation's name.
 */
import { z } from 'zod';
import type { HistoryOpName, OpArgs, OpOutcome } from './History.ts';
import { u64 } from './u64.ts';

/** The errors a frame operation may report (`GetFrameError` without the verification-only `Retry`). */
export const FRAME_ERRORS = ['NotAligned', 'OutOfBound', 'InUse', 'Unused', 'Unique', 'Busy'] as const;
/** The errors an allocation may report. */
export const ALLOC_ERRORS = ['NoMemory', 'InvalidArgs'] as const;

const paddrArgs = z.object({ paddr: u64 });
const nframes = z
  .number()
  .int('must be a whole number')
  .min(0, 'must not be negative')
  .max(2 ** 40, 'is absurdly large');
const okTrue = z.object({ ok: z.literal(true, 'must be true') });
const frameErr = z.object({ err: z.enum(FRAME_ERRORS, `must be one of ${FRAME_ERRORS.join(', ')}`) });
const allocErr = z.object({ err: z.enum(ALLOC_ERRORS, `must be one of ${ALLOC_ERRORS.join(', ')}`) });

/** How to read one operation's values: its invoke value, and its `ok` value (chosen by the presence of `err`). */
export type OpSchema = Readonly<{
  args: z.ZodType<OpArgs>;
  ok: z.ZodType<OpOutcome>;
  err: z.ZodType<OpOutcome> | undefined;
}>;

const OK: z.ZodType<OpOutcome> = okTrue.transform(() => ({ result: 'ok' }));
const errOutcome = (s: typeof frameErr | typeof allocErr): z.ZodType<OpOutcome> =>
  s.transform((v) => ({ result: v.err }));
const plain = (ok: z.ZodType<OpOutcome> = OK): OpSchema => ({ args: paddrArgs, ok, err: undefined });
const fallible = (): OpSchema => ({ args: paddrArgs, ok: OK, err: errOutcome(frameErr) });

/** A drop's outcome: `last` says whether it released the frame. */
const dropped = plain(
  z
    .object({ ok: z.literal(true, 'must be true'), last: z.boolean('must be true or false') })
    .transform((v) => ({ result: v.last ? 'ok:last' : 'ok' })),
);

/** Every operation of the format, with its schemas. */
export const OP_SCHEMAS: Readonly<Record<HistoryOpName, OpSchema>> = {
  from_unused: { ...fallible(), args: z.object({ paddr: u64, unique: z.boolean('must be true or false') }) },
  from_in_use: fallible(),
  clone: plain(),
  drop: dropped,
  into_shared: plain(),
  try_into_unique: fallible(),
  drop_unique: plain(okTrue.transform(() => ({ result: 'ok:last' }))),
  meta: plain(),
  meta_mut: plain(),
  read: plain(),
  write: plain(),
  reference_count: plain(z.object({ value: u64 }).transform((v) => ({ result: String(v.value) }))),
  inc_frame_ref_count: plain(),
  borrow: plain(),
  unique_into_raw: plain(),
  repurpose: plain(),
  segment_slice: plain(),
  segment_next: plain(),
  segment_drop: dropped,
  segment_split: plain(),
  list_drop: plain(okTrue.transform(() => ({ result: 'ok:last' }))),
  ref_count: plain(z.object({ value: u64 }).transform((v) => ({ result: 'value', value: v.value }))),
  alloc: {
    args: z.object({ nframes }),
    ok: z.object({ paddr: u64 }).transform((v) => ({ result: 'ok', paddr: v.paddr })),
    err: errOutcome(allocErr),
  },
  dealloc: { args: z.object({ paddr: u64, nframes }), ok: OK, err: undefined },
};

/** The operation names, for messages. */
export const OP_NAMES = Object.keys(OP_SCHEMAS) as HistoryOpName[];

/** The envelope of every event line. */
export const EventLine = z.object({
  type: z.enum(['invoke', 'ok', 'info', 'init'], 'must be invoke, ok, info or init'),
  process: z.number().int('must be a whole number').min(0, 'must not be negative').optional(),
  f: z.string('must be a string').optional(),
  value: z.unknown().optional(),
});

/** The `init` line's value. */
export const InitValue = z.object({
  frames: z.array(z.object({ paddr: u64, refCount: u64 }), 'must be an array of {paddr, refCount}'),
});
