import { describe, expect, it } from 'vitest';
import { BuddyAllocator } from '../../impl/alloc/BuddyAllocator.ts';
import { FrameAllocOptions } from '../../impl/alloc/FrameAllocOptions.ts';
import { KernelAbort } from '../../impl/meta/abort.ts';
import { KernelMeta, unit, type FrameMeta } from '../../impl/meta/frameMeta.ts';
import { refCountAt } from '../../spec/meta/MetaRegionOwners.ts';
import { PAGE_SIZE, REF_COUNT_UNUSED } from '../../spec/vocab.ts';
import type { FrameHandle } from './accounting.ts';
import { CheckedFrameAllocOptions, type CheckedFrameAllocOptionsInit } from './CheckedFrameAllocOptions.ts';
import type { SegmentHandle } from './CheckedSegment.ts';
import { NoZero } from './fixtures/allocOptionsBugs.ts';
import type { Violation } from './report.ts';

const P = PAGE_SIZE;
const K = unit(KernelMeta);
const blamed = (vs: readonly Violation[]) => vs.map((v) => [v.clause, v.blame]);

/** Checked options over a buddy allocator of `nframes` frames, all added, in collect mode. */
function rig(nframes = 16, init: Partial<CheckedFrameAllocOptionsInit> = {}) {
  const buddy = BuddyAllocator.create({ basePaddr: 0, nframes });
  const o = CheckedFrameAllocOptions.create(buddy, { maxPaddr: nframes * P, mode: 'collect', ...init });
  o.allocator.addFreeMemory(0, nframes * P);
  return { buddy, o };
}
const frame = (h: FrameHandle | string): FrameHandle => {
  if (typeof h === 'string') throw new Error(`expected a frame, got ${h}`);
  return h;
};
const segment = (h: SegmentHandle | string): SegmentHandle => {
  if (typeof h === 'string') throw new Error(`expected a segment, got ${h}`);
  return h;
};
const dirty = (o: CheckedFrameAllocOptions, paddr: number) =>
  o.frames.impl.phys.write(paddr, new Uint8Array([1, 2, 3]));

describe('FrameAllocOptions on the correct implementation', () => {
  it('alloc_frame: a claimed frame from the allocator; its last drop returns it (each alloc and dealloc checked)', () => {
    const { buddy, o } = rig();
    const h = frame(o.allocFrame());
    expect([h.slot, refCountAt(o.frames.ghost, 0), o.frames.ghost.frameObligations.count(0)]).toEqual([0, 1n, 1]);
    expect(buddy.usage().used).toBe(1);
    expect(o.frames.drop(h)).toBe(true);
    expect([buddy.usage().used, refCountAt(o.frames.ghost, 0)]).toEqual([0, REF_COUNT_UNUSED]);
    expect(o.violations).toEqual([]);
  });

  it('zeroed by default: a reused frame reads as zeros; zeroed(false) keeps the old bytes', () => {
    const { o } = rig(1);
    const a = frame(o.allocFrameWith(K));
    dirty(o, 0);
    o.frames.drop(a);
    o.frames.drop(frame(o.allocFrame()));
    expect([...o.frames.impl.phys.read(0, 3)]).toEqual([0, 0, 0]);
    dirty(o, 0);
    o.zeroed(false).allocFrame();
    expect([...o.frames.impl.phys.read(0, 3)]).toEqual([1, 2, 3]);
    expect(o.violations).toEqual([]);
  });

  it('alloc_segment: contiguous claimed frames (the buddy takes a power of two); drop returns each frame', () => {
    const { buddy, o } = rig();
    const seen: number[] = [];
    const s = segment(o.allocSegmentWith(3, (p): FrameMeta => (seen.push(p), K)));
    expect([o.segments.rangeOf(s), seen, buddy.usage().used]).toEqual([{ start: 0, end: 3 * P }, [0, P, 2 * P], 4]);
    expect(o.segments.drop(s)).toEqual([0, P, 2 * P]);
    expect([buddy.usage().used, o.frames.ghost.frameObligations.len]).toEqual([1, 0]);
    expect(o.violations).toEqual([]);
  });

  it('finding: a 3-frame segment takes a 4-frame buddy block, and its drop returns only 3 (the padding frame leaks)', () => {
    const { buddy, o } = rig();
    o.segments.drop(segment(o.allocSegment(3)));
    expect([buddy.usage().used, o.allocator.ghost.free]).toEqual([
      1,
      [
        { start: 0, end: 3 * P },
        { start: 4 * P, end: 16 * P },
      ],
    ]);
    expect(o.violations).toEqual([]);
  });

  it('0 frames is InvalidArgs, too many is NoMemory, exhaustion is NoMemory: never a partial allocation', () => {
    const { buddy, o } = rig(4);
    expect(o.allocSegment(0)).toBe('InvalidArgs');
    expect(o.allocSegment(5)).toBe('NoMemory');
    segment(o.allocSegment(2));
    frame(o.allocFrame());
    frame(o.allocFrame());
    const before = [o.frames.ghost, o.allocator.ghost, buddy.usage()];
    expect([o.allocFrame(), o.allocSegment(1)]).toEqual(['NoMemory', 'NoMemory']);
    expect([o.frames.ghost, o.allocator.ghost, buddy.usage()]).toEqual(before);
    expect(o.violations).toEqual([]);
  });

  it('a frame claimed behind the allocator: the accounting flags it, and alloc_frame then aborts as may_panic allows', () => {
    const { o } = rig(1);
    o.frames.fromUnused(0, K);
    expect(() => o.allocFrame()).toThrow(KernelAbort);
    expect(blamed(o.violations)).toEqual([['accounting.free_unused', 'implementation']]);
  });
});

describe('a broken requires clause blames the caller', () => {
  it('a negative frame count', () => {
    const { o } = rig();
    expect(o.allocSegment(-1)).toBe('InvalidArgs');
    expect(blamed(o.violations)).toEqual([['FrameAllocOptions::alloc_segment_with.requires.nframes_usize', 'caller']]);
  });

  it('returning a frame to the allocator that its last drop already returned: a double free', () => {
    const { o } = rig();
    o.frames.drop(frame(o.allocFrame()));
    o.allocator.dealloc(0, P);
    expect(blamed(o.violations)).toEqual([['GlobalFrameAllocator::dealloc.requires.not_free', 'caller']]);
  });
});

describe('enforce mode', () => {
  it('a violation of the allocator nested under a frame drop is thrown as the allocator reported it', () => {
    const buddy = BuddyAllocator.create({ basePaddr: 0, nframes: 4 });
    const o = CheckedFrameAllocOptions.create(buddy, { maxPaddr: 4 * P });
    o.allocator.addFreeMemory(0, 4 * P);
    const h = frame(o.allocFrame());
    o.allocator.dealloc(0, P);
    expect(() => o.frames.drop(h)).toThrow(/dealloc: contract violation — requires clause .*not_free/);
    expect(blamed(o.violations)).toEqual([['GlobalFrameAllocator::dealloc.requires.not_free', 'caller']]);
  });
});

describe('a broken ensures clause blames the implementation', () => {
  const withOptions = (Options: typeof FrameAllocOptions, nframes = 4) =>
    rig(nframes, { makeOptions: (l, s) => new Options(l, s) });

  it('alloc_frame that forgets to zero', () => {
    const { o } = withOptions(NoZero, 1);
    const a = frame(o.allocFrame());
    dirty(o, 0);
    o.frames.drop(a);
    o.allocFrame();
    expect(blamed(o.violations)).toEqual([
      ['FrameAllocOptions::alloc_frame_with.ensures.ok_zeroed', 'implementation'],
      ['FrameAllocOptions::alloc_frame_with.refinement', 'implementation'],
    ]);
  });

  it('alloc_frame that takes memory and then reports NoMemory (a partial allocation)', () => {
    class Leaks extends FrameAllocOptions {
      override allocFrame() {
        this.source.alloc({ size: P, align: P });
        return 'NoMemory' as const;
      }
    }
    const { o } = withOptions(Leaks);
    expect(o.allocFrame()).toBe('NoMemory');
    expect(blamed(o.violations)).toEqual([
      ['FrameAllocOptions::alloc_frame_with.ensures.err_unchanged', 'implementation'],
      ['FrameAllocOptions::alloc_frame_with.refinement', 'implementation'],
    ]);
  });

  it('alloc_segment(0) that asks the allocator anyway and reports NoMemory', () => {
    class ZeroIsNoMemory extends FrameAllocOptions {
      override allocSegment<M>(n: number, f: (paddr: number) => FrameMeta<M>) {
        return n === 0 ? ('NoMemory' as const) : super.allocSegment(n, f);
      }
    }
    const { o } = withOptions(ZeroIsNoMemory);
    o.allocSegment(0);
    expect(blamed(o.violations)).toEqual([
      ['FrameAllocOptions::alloc_segment_with.ensures.zero_invalid', 'implementation'],
      ['FrameAllocOptions::alloc_segment_with.refinement', 'implementation'],
    ]);
  });

  it('alloc_frame that claims a frame the allocator did not hand out', () => {
    class ClaimsItsOwn extends FrameAllocOptions {
      override allocFrame(meta: FrameMeta) {
        const slot = this.layer.fromUnused(3 * P, meta);
        return typeof slot === 'number' ? slot : ('NoMemory' as const);
      }
    }
    const { o } = withOptions(ClaimsItsOwn);
    o.allocFrame();
    expect(blamed(o.violations)).toEqual([
      ['FrameAllocOptions::alloc_frame_with.ensures.ok_taken', 'implementation'],
      ['FrameAllocOptions::alloc_frame_with.refinement', 'implementation'],
      ['accounting.free_unused', 'implementation'],
    ]);
  });
});
