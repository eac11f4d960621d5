/**
 * Wrong callers of `Segment::drop` and `Segment::next` whose voided call faults: a segment restored by
 * `from_raw` with a start that is not a frame boundary, or with its end past `MAX_PADDR`, makes the
 * implementation take a frame at a fractional slot or at a slot with no memory behind it. The throw is
 * the caller's (`<op>.unexpected_throw`), beside the op's broken `requires` (see `fixtures/callers.ts`).
 */
import { describe } from 'vitest';
import { KernelMeta, unit } from '../../impl/meta/frameMeta.ts';
import type { PaddrRange } from '../../spec/frame/accounting.ts';
import { PAGE_SIZE } from '../../spec/vocab.ts';
import { CheckedFrameLayer } from './CheckedFrameLayer.ts';
import { CheckedSegment, type SegmentHandle } from './CheckedSegment.ts';
import type { ContractMode } from './ContractChecker.ts';
import { callerRows, type Arranged, type CallerRow } from './fixtures/callers.ts';

const P = PAGE_SIZE;
const NR = 16;
const range = (start: number, end: number): PaddrRange => ({ start, end });

/** Frames 1–4 claimed as a segment and forgotten (`into_raw`), then `seg` restored with its own range as owner. */
function restored(
  mode: ContractMode,
  seg: PaddrRange,
  call: (s: CheckedSegment, h: SegmentHandle) => unknown,
): Arranged {
  const l = new CheckedFrameLayer({ maxPaddr: NR * P, mode });
  const s = new CheckedSegment(l);
  const real = s.fromUnused(range(P, 5 * P), () => unit(KernelMeta));
  if (typeof real === 'string') throw new Error(real);
  s.intoRaw(real);
  const h = s.fromRaw(seg);
  return { violations: () => l.violations, call: () => call(s, h), touched: () => l.tracking.log.length > 0 };
}

const row = (
  op: 'drop' | 'next',
  wrong: string,
  seg: PaddrRange,
  breaks: readonly string[],
  call: (s: CheckedSegment, h: SegmentHandle) => unknown,
): CallerRow => ({
  wrong,
  breaks: breaks.map((c) => `Segment::${op}.requires.${c}`),
  collectOnly: true,
  throws: true,
  arrange: (mode) => restored(mode, seg, call),
});

const UNALIGNED = range(P + 8, 5 * P);
const PAST_MAX = range(P, (NR + 1) * P);

describe('Segment: voided calls that fault', () => {
  callerRows('Segment::drop', [
    row(
      'drop',
      'restored with a start that is not page aligned (the voided drop takes a frame at a fractional slot)',
      UNALIGNED,
      ['inv.start_aligned', 'owner_inv'],
      (s, h) => s.drop(h),
    ),
    row(
      'drop',
      'restored with its end past MAX_PADDR (the voided drop reaches the slot with no memory)',
      PAST_MAX,
      // The slot past the last frame has no memory: its count reads 0 and it is no frame of a segment.
      [
        'inv.end_le_max',
        'owner_inv',
        ...['obligation', 'rc_pos', 'rc_le_max', 'usage_frame'].map((c) => `relate_regions.${c}`),
      ],
      (s, h) => s.drop(h),
    ),
  ]);
  callerRows('Segment::next', [
    row(
      'next',
      'restored with a start that is not page aligned (the voided next takes a frame at a fractional slot)',
      UNALIGNED,
      ['inv.start_aligned', 'owner_inv'],
      (s, h) => s.next(h),
    ),
  ]);
});
