import { describe, expect, it } from 'vitest';
import { call, info, inv, jsonl, ok } from './testHistories.ts';
import { validateText, type ValidateResult } from './validateHistory.ts';

const MAX = 0x8000_0000;
const run = (text: string, protocol: 'current' | 'legacy' = 'current'): ValidateResult => {
  const r = validateText(text, { maxPaddr: MAX, protocol });
  if ('error' in r) throw new Error(r.error);
  return r;
};
const P = { paddr: '0x3000' };
const OK = { ok: true };

describe('validate: linearizable histories', () => {
  it('accepts the example of docs/formats.md "Histories": a Busy explained by a claim in flight', () => {
    const r = run(
      jsonl([
        inv(0, 'from_unused', { ...P, unique: false }),
        inv(1, 'from_in_use', P),
        ok(0, 'from_unused', OK),
        ok(1, 'from_in_use', { err: 'Busy' }),
      ]),
    );
    expect(r.verdict).toBe('linearizable');
    expect(r.frames).toBe(1);
  });
  it('accepts a last drop seen as Busy by a concurrent claim, then a successful claim', () => {
    const r = run(
      jsonl([
        ...call(0, 'from_unused', { ...P, unique: false }, OK),
        inv(0, 'drop', P),
        ...call(1, 'from_unused', { ...P, unique: false }, { err: 'Busy' }),
        ok(0, 'drop', { ok: true, last: true }),
        ...call(1, 'from_unused', { ...P, unique: false }, OK),
        ...call(1, 'ref_count', P, { value: '1' }),
      ]),
    );
    expect(r.verdict).toBe('linearizable');
  });
  it('accepts the unique life cycle and a ref_count of 0 observed inside a unique drop', () => {
    const r = run(
      jsonl([
        ...call(0, 'from_unused', { ...P, unique: true }, OK),
        ...call(1, 'from_in_use', P, { err: 'Unique' }),
        ...call(0, 'into_shared', P, OK),
        ...call(1, 'from_in_use', P, OK),
        ...call(0, 'try_into_unique', P, { err: 'InUse' }),
        ...call(1, 'drop', P, { ok: true, last: false }),
        ...call(0, 'try_into_unique', P, OK),
        inv(0, 'drop_unique', P),
        ...call(1, 'ref_count', P, { value: '0' }),
        ok(0, 'drop_unique', OK),
      ]),
    );
    expect(r.verdict).toBe('linearizable');
  });
  it('lets an info operation take effect or not, but only before the process invokes again', () => {
    const base = [inv(0, 'from_unused', { ...P, unique: false }), info(0, 'from_unused')];
    expect(run(jsonl([...base, ...call(1, 'from_in_use', P, OK)])).verdict).toBe('linearizable');
    expect(run(jsonl([...base, ...call(1, 'from_in_use', P, { err: 'Unused' })])).verdict).toBe('linearizable');
    // After process 0 moved on, its claim either happened or never will: Unused then Ok is impossible.
    const after = [
      ...base,
      ...call(0, 'ref_count', { paddr: '0x0' }, { value: '18446744073709551615' }),
      ...call(1, 'from_in_use', P, { err: 'Unused' }),
      ...call(1, 'from_in_use', P, OK),
    ];
    expect(run(jsonl(after)).verdict).toBe('not-linearizable');
  });
  it('treats an operation with no return as pending: it may or may not take effect', () => {
    expect(
      run(jsonl([inv(0, 'from_unused', { ...P, unique: false }), ...call(1, 'from_in_use', P, { err: 'Busy' })]))
        .verdict,
    ).toBe('linearizable');
  });
  it('starts from the init line', () => {
    const init = [{ paddr: '0x3000', refCount: '2' }];
    expect(
      run(
        jsonl(
          [...call(0, 'drop', P, { ok: true, last: false }), ...call(0, 'drop', P, { ok: true, last: true })],
          init,
        ),
      ).verdict,
    ).toBe('linearizable');
  });
  it('ties alloc to the frame it returned, and a last drop hands the frame back', () => {
    const r = run(
      jsonl([
        ...call(0, 'alloc', { nframes: 1 }, { paddr: '0x3000' }),
        ...call(1, 'from_unused', { ...P, unique: false }, { err: 'InUse' }),
        ...call(0, 'drop', P, { ok: true, last: true }),
        ...call(1, 'alloc', { nframes: 2 }, { paddr: '0x3000' }),
        ...call(1, 'alloc', { nframes: 1 }, { err: 'NoMemory' }),
      ]),
    );
    expect(r.verdict).toBe('linearizable');
    expect(r.frames).toBe(2);
  });
  it('explains a frame taken by an allocation whose outcome is unknown', () => {
    const r = run(
      jsonl([
        inv(0, 'alloc', { nframes: 1 }),
        info(0, 'alloc'),
        ...call(1, 'from_unused', { ...P, unique: false }, { err: 'InUse' }),
      ]),
    );
    expect(r.verdict).toBe('linearizable');
  });
  it('judges the legacy protocol with its own sentinels', () => {
    const h = jsonl([
      ...call(0, 'from_unused', { ...P, unique: false }, OK),
      ...call(0, 'drop', P, { ok: true, last: true }),
      ...call(0, 'ref_count', P, { value: '4294967295' }),
    ]);
    expect(run(h, 'legacy').verdict).toBe('linearizable');
    expect(run(h).verdict).toBe('not-linearizable');
  });
});

describe('validate: violations', () => {
  it('names a Busy that nothing in flight explains, with the clause and a minimal sub-history', () => {
    const r = run(
      jsonl([
        ...call(2, 'from_unused', { paddr: '0x5000', unique: false }, OK),
        ...call(0, 'from_unused', { ...P, unique: false }, OK),
        ...call(1, 'from_in_use', P, OK),
        ...call(1, 'from_in_use', P, { err: 'Busy' }),
      ]),
    );
    expect(r.verdict).toBe('not-linearizable');
    expect(r.violation?.line).toBe(8);
    expect(r.violation?.clause).toBe('Frame::from_in_use.ensures.err_kind');
    expect(r.violation?.reason).toContain('no claim, last drop or unique drop');
    expect(r.violation?.subHistory.map((l) => l.line)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(r.violation?.minimal).toBe(true);
  });
  it('rejects a second last drop, and a drop that says last while a reference remains', () => {
    const a = run(
      jsonl([
        ...call(0, 'from_unused', { ...P, unique: false }, OK),
        ...call(0, 'drop', P, { ok: true, last: true }),
        ...call(0, 'drop', P, { ok: true, last: true }),
      ]),
    );
    expect(a.violation?.clause).toBe('Frame::drop.requires.obligation');
    const b = run(
      jsonl([
        ...call(0, 'from_unused', { ...P, unique: false }, OK),
        ...call(0, 'clone', P, OK),
        ...call(0, 'drop', P, { ok: true, last: true }),
      ]),
    );
    expect(b.violation?.clause).toBe('Frame::drop.ensures.last_iff_one');
  });
  it('rejects an allocation of a frame that is allocated, and a dealloc of a free frame', () => {
    const a = run(
      jsonl([
        ...call(0, 'alloc', { nframes: 1 }, { paddr: '0x3000' }),
        ...call(1, 'alloc', { nframes: 1 }, { paddr: '0x3000' }),
      ]),
    );
    expect(a.violation?.clause).toBe('GlobalFrameAllocator::alloc.ensures.fresh');
    const b = run(jsonl([...call(0, 'dealloc', { paddr: '0x3000', nframes: 1 }, OK)]));
    expect(b.violation?.clause).toBe('GlobalFrameAllocator::dealloc.requires.allocated');
  });
  it('judges addresses without a slot on their own', () => {
    const a = run(jsonl([...call(0, 'from_unused', { paddr: '0x3001', unique: false }, { err: 'OutOfBound' })]));
    expect(a.violation?.clause).toBe('Frame::from_unused.ensures.err_kind');
    expect(run(jsonl([...call(0, 'from_in_use', { paddr: '0x80000000' }, { err: 'OutOfBound' })])).verdict).toBe(
      'linearizable',
    );
    expect(run(jsonl([...call(0, 'drop', { paddr: '0x80000000' }, { ok: true, last: true })])).verdict).toBe(
      'not-linearizable',
    );
  });
  it('reports the first failing event by line, and counts the failing frames', () => {
    const r = run(
      jsonl([...call(0, 'drop', { paddr: '0x5000' }, { ok: true, last: true }), ...call(0, 'clone', P, OK)]),
    );
    expect(r.violation?.line).toBe(2);
    expect(r.violation?.failingFrames).toBe(2);
  });
});
