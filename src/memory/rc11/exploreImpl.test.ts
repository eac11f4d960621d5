import { describe, expect, test } from 'vitest';
import { Ordering } from '../../../impl/meta/memory.ts';
import { withOrderings } from '../../../impl/meta/orderings.ts';
import { exploreImplRc11, sampleImplRc11, type Rc11Instance } from './exploreImpl.ts';

const claimReadDrop: Rc11Instance = {
  frames: 1,
  variant: 'current',
  refCountMax: 16n,
  programs: [
    [
      { op: 'from_unused', frame: 0 },
      { op: 'drop', frame: 0 },
    ],
    [
      { op: 'from_in_use', frame: 0 },
      { op: 'meta', frame: 0 },
      { op: 'drop', frame: 0 },
    ],
  ],
};

describe('the real implementation under RC11', () => {
  test("upstream's orderings: a claim, a shared read of the metadata and two drops race nowhere", () => {
    const r = exploreImplRc11(claimReadDrop);
    expect(r.verdict).toBe('ok');
    expect(r.executions).toBeGreaterThan(1);
  });
  test('a relaxed decrement in Frame::drop: the reader races with the last drop’s teardown', () => {
    const r = exploreImplRc11({
      ...claimReadDrop,
      orderings: withOrderings({ frameDropDecrement: { order: Ordering.Relaxed } }),
    });
    expect(r.verdict).toBe('violation');
    expect(r.violation?.kind).toBe('data_race');
    expect(r.violation?.message).toMatch(/^data race on meta\[0\]: T1 Frame::meta\(frame 0\): plain read/);
  });
  test('a relaxed publishing store in get_from_unused: the acquirer races with the metadata writes', () => {
    const r = exploreImplRc11({
      ...claimReadDrop,
      orderings: withOrderings({ claimStoreShared: { order: Ordering.Relaxed } }),
    });
    expect(r.violation?.kind).toBe('data_race');
  });
});

describe('TryFrom<Frame> for UniqueFrame (docs/findings.md F27) on the real implementation', () => {
  const convert: Rc11Instance = {
    frames: 1,
    variant: 'current',
    refCountMax: 16n,
    programs: [
      [
        { op: 'from_unused', frame: 0 },
        { op: 'try_into_unique', frame: 0 },
        { op: 'meta_mut', frame: 0 },
        { op: 'drop_unique', frame: 0 },
        { op: 'drop', frame: 0 },
      ],
      [
        { op: 'from_in_use', frame: 0 },
        { op: 'meta', frame: 0 },
        { op: 'drop', frame: 0 },
      ],
    ],
  };
  test("with upstream's Relaxed CAS, the new unique owner's write races with the other handle's read", () => {
    const r = exploreImplRc11(convert);
    expect(r.violation?.kind).toBe('data_race');
    expect(r.violation?.message).toMatch(
      /T0 UniqueFrame::meta_mut\(frame 0\): plain write|T1 Frame::meta\(frame 0\): plain read/,
    );
  });
  test('with Acquire on success, as Arc::get_mut, no race', () => {
    const r = exploreImplRc11({
      ...convert,
      orderings: withOrderings({ tryIntoUniqueCas: { order: Ordering.Acquire } }),
    });
    expect(r.verdict).toBe('ok');
  });
});

describe('any-op programs under RC11', () => {
  const anyOps: Rc11Instance = {
    frames: 1,
    variant: 'current',
    refCountMax: 16n,
    programs: [
      { depth: 1, ops: ['from_unused', 'drop'] },
      { depth: 2, ops: ['from_in_use', 'meta', 'drop'] },
    ],
  };
  test("upstream's orderings pass; every execution ends with the frame unused", () => {
    expect(exploreImplRc11(anyOps).verdict).toBe('ok');
  });
  test('the relaxed decrement is found without a fixed program', () => {
    const r = exploreImplRc11({
      ...anyOps,
      orderings: withOrderings({ frameDropDecrement: { order: Ordering.Relaxed } }),
    });
    expect(r.violation?.kind).toBe('data_race');
  });
});

describe('random RC11 executions (sampleImplRc11)', () => {
  const big: Rc11Instance = {
    frames: 2,
    variant: 'current',
    refCountMax: 16n,
    programs: Array.from({ length: 3 }, () => ({
      depth: 3,
      ops: ['from_unused', 'from_in_use', 'meta', 'drop'] as const,
    })),
  };
  test("upstream's orderings: no violation in 100 random executions of 3 threads × 2 frames", () => {
    expect(sampleImplRc11(big, 100, 1)).toMatchObject({ verdict: 'ok', runs: 100 });
  });
  test('a relaxed publishing store is found by random executions, reproducibly from its seed', () => {
    const weak = { ...big, orderings: withOrderings({ claimStoreShared: { order: Ordering.Relaxed } }) };
    const r = sampleImplRc11(weak, 300, 1);
    expect(r.violation?.kind).toBe('data_race');
    expect(sampleImplRc11(weak, 1, r.seed).violation).toEqual(r.violation);
  });
});

describe("a frame's contents under RC11", () => {
  const publish: Rc11Instance = {
    frames: 1,
    variant: 'current',
    refCountMax: 16n,
    programs: [
      [
        { op: 'from_unused_unique', frame: 0 },
        { op: 'write', frame: 0 },
        { op: 'into_shared', frame: 0 },
        { op: 'drop', frame: 0 },
      ],
      [
        { op: 'from_in_use', frame: 0 },
        { op: 'read', frame: 0 },
        { op: 'drop', frame: 0 },
      ],
    ],
  };
  test("a write through the unique handle, published by From<UniqueFrame>'s Release store: no race", () => {
    expect(exploreImplRc11(publish).verdict).toBe('ok');
  });
  test('with that store Relaxed, the reader races with the writer on the contents', () => {
    const r = exploreImplRc11({
      ...publish,
      orderings: withOrderings({ intoSharedStore: { order: Ordering.Relaxed } }),
    });
    expect(r.violation?.kind).toBe('data_race');
    expect(r.violation?.message).toMatch(/^data race on (contents|meta)\[0\]/);
    expect(r.violation?.events.some((e) => /contents\[0\]/.test(e))).toBe(true);
  });
});
