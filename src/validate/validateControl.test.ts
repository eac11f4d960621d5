import { describe, expect, it } from 'vitest';
import { parseHistory } from './parseHistory.ts';
import { call, concurrentFromInUse, jsonl } from './testHistories.ts';
import { validateHistoryAsync, type ValidateProgress } from './validateHistory.ts';

const MAX = 0x8000_0000;
const parsed = (text: string) => {
  const h = parseHistory(text, { maxPaddr: MAX });
  if ('error' in h) throw new Error(h.error);
  return h;
};
/** Three frames, each claimed and dropped: three sub-histories, decided one after the other. */
const THREE = jsonl(
  ['0x3000', '0x4000', '0x5000'].flatMap((paddr, k) => [
    ...call(k, 'from_unused', { paddr, unique: false }, { ok: true }),
    ...call(k, 'drop', { paddr }, { ok: true, last: true }),
  ]),
);
/** A clock that advances one second at every reading. */
const ticking = () => {
  let t = 0;
  return () => (t += 1000);
};

describe('validate: bounded, with what was decided', () => {
  it('a time limit stops the search between frames and names the decided and undecided frames', async () => {
    const r = await validateHistoryAsync(parsed(THREE), { maxPaddr: MAX }, { timeLimitMs: 1000, now: ticking() });
    expect(r.verdict).toBe('incomplete');
    expect(r.stopped).toEqual({
      reason: 'time-limit',
      during: 'search',
      linearizable: [0x3000],
      failing: [],
      undecided: [0x4000, 0x5000],
    });
  });
  it('a polled interrupt flag stops it the same way', async () => {
    const r = await validateHistoryAsync(parsed(THREE), { maxPaddr: MAX }, { interrupted: () => true, now: ticking() });
    expect(r.stopped).toMatchObject({ reason: 'interrupted', during: 'search', linearizable: [0x3000] });
  });
  it('without a limit the asynchronous validation decides everything', async () => {
    const r = await validateHistoryAsync(parsed(THREE), { maxPaddr: MAX }, { now: ticking() });
    expect(r).toMatchObject({ verdict: 'linearizable', frames: 3 });
    expect(r.stopped).toBeUndefined();
  });
  it('an abort during minimization keeps the violation found, marked as not minimized', async () => {
    const ac = new AbortController();
    const seen: ValidateProgress[] = [];
    const r = await validateHistoryAsync(
      parsed(concurrentFromInUse(8)),
      { maxPaddr: MAX },
      {
        signal: ac.signal,
        now: ticking(),
        progressEveryMs: 0,
        onProgress: (p) => {
          seen.push({ ...p });
          if (p.during === 'minimization') ac.abort();
        },
      },
    );
    expect(r.verdict).toBe('incomplete');
    expect(r.stopped).toMatchObject({ reason: 'interrupted', during: 'minimization', failing: [{ frame: 0x3000 }] });
    expect(r.violation).toMatchObject({ line: 12, clause: 'Frame::from_in_use.ensures.err_kind', minimal: false });
    expect(seen[0]).toMatchObject({ during: 'search', frames: 1 });
    expect(seen.at(-1)!.validations).toBeGreaterThan(0);
  });
});
