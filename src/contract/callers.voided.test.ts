/**
 * Wrong callers whose voided call goes further than a broken `requires`: the implementation run on a
 * slot with no memory behind it throws (reported once as the op's `unexpected_throw`, blaming the
 * caller), and a call made through a handle that was moved is voided by the linearity violation as by
 * a broken `requires` (nothing after it blames the implementation). See `fixtures/callers.ts`.
 */
import { describe } from 'vitest';
import { link } from '../../impl/frame/LinkedList.ts';
import { KernelMeta, unit } from '../../impl/meta/frameMeta.ts';
import { MAX_META_SLOTS, PAGE_SIZE } from '../../spec/vocab.ts';
import type { FrameHandle } from './accounting.ts';
import { CheckedFrameLayer } from './CheckedFrameLayer.ts';
import type { ContractMode } from './ContractChecker.ts';
import { callerRows, type Arranged, type CallerRow } from './fixtures/callers.ts';

const P = PAGE_SIZE;
/** 16 frames. */
const NR = 16;
/** One past the last frame: a slot inside `slot_owners`' domain with no frame (and no memory) behind it. */
const BEYOND = NR;
/** The first index outside `slot_owners`' domain. */
const OUT = MAX_META_SLOTS;

function world(mode: ContractMode, build: (l: CheckedFrameLayer) => () => unknown): Arranged {
  const l = new CheckedFrameLayer({ maxPaddr: NR * P, mode });
  const call = build(l);
  return {
    violations: () => l.violations,
    call,
    touched: () => l.tracking.log.length > 0 || l.tracking.plainWrites.length > 0,
  };
}

/** A live `Frame` of slot 1 with its pointer changed to `slot`. */
function forged(l: CheckedFrameLayer, slot: number): FrameHandle {
  const h = l.fromUnused(P, unit(KernelMeta));
  if (typeof h === 'string') throw new Error(h);
  return { ...h, slot };
}

const F = (op: string, cs: readonly string[]) => cs.map((c) => `Frame::${op}.requires.${c}`);
const row = (
  wrong: string,
  breaks: readonly string[],
  build: (l: CheckedFrameLayer) => () => unknown,
  flags: Partial<Pick<CallerRow, 'linearity' | 'throws' | 'collectOnly'>> = {},
): CallerRow => ({ wrong, breaks, arrange: (mode) => world(mode, build), ...flags });

describe('voided calls that fault, and calls through a moved handle', () => {
  callerRows('Frame::clone', [
    row(
      'a Frame forged for the slot one past the last frame (the voided clone faults on the missing slot)',
      F('clone', ['frame_inv', 'rc_pos', 'safe_slot']),
      (l) => {
        const h = forged(l, BEYOND);
        return () => l.clone(h);
      },
      { throws: true },
    ),
    row(
      'a Frame forged for a slot outside slot_owners',
      F('clone', ['frame_inv', 'slots_contain', 'owners_contain', 'rc_not_unused', 'safe_slot']),
      (l) => {
        const h = forged(l, OUT);
        return () => l.clone(h);
      },
    ),
  ]);

  callerRows('Frame::drop', [
    row(
      'a Frame forged for the slot one past the last frame (the voided drop faults on the missing slot)',
      F('drop', ['frame_inv', 'rc_not_unused', 'rc_le_max', 'obligation']),
      (l) => {
        const h = forged(l, BEYOND);
        return () => l.drop(h);
      },
      { throws: true },
    ),
    row(
      'a Frame forged for a slot outside slot_owners',
      F('drop', ['frame_inv', 'slots_contain', 'owners_contain', 'rc_not_unused', 'rc_le_max', 'obligation']),
      (l) => {
        const h = forged(l, OUT);
        return () => l.drop(h);
      },
    ),
  ]);

  callerRows('Frame::from_unique', [
    row(
      'the UniqueFrame handle of a frame the caller moved into a list (its requires hold: the linearity violation voids the call)',
      [],
      (l) => {
        const u = l.uniqueFromUnused(5 * P, link(0n));
        if (typeof u === 'string') throw new Error(u);
        l.newList().pushBack(u);
        return () => l.intoShared(u);
      },
      { linearity: true },
    ),
  ]);
});
