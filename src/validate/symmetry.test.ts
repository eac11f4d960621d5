import { describe, expect, it } from 'vitest';
import { modelParams } from '../../spec/vocab.ts';
import { splitByFrame } from './frameHistories.ts';
import { linearize } from './linearize.ts';
import { parseHistory } from './parseHistory.ts';
import { concurrentFromInUse } from './testHistories.ts';
import { validateText, type ValidateResult } from './validateHistory.ts';

const MAX = 0x8000_0000;
const frameOf = (text: string) => {
  const h = parseHistory(text, { maxPaddr: MAX });
  if ('error' in h) throw new Error(h.error);
  return splitByFrame(h, MAX).frames.get(0x3000)!;
};
const validated = (text: string): ValidateResult => {
  const r = validateText(text, { maxPaddr: MAX });
  if ('error' in r) throw new Error(r.error);
  return r;
};

describe('validate: identical concurrent operations are interchangeable', () => {
  it('the search over 40 concurrent from_in_use visits a number of configurations linear in the processes', () => {
    // Without symmetry every subset of the 20 successful acquires is a configuration (2^20).
    const v = linearize(frameOf(concurrentFromInUse(40)), modelParams({ protocol: 'current', maxPaddr: MAX }), 50_000);
    expect(v).toMatchObject({ ok: false, at: 43 });
    expect(v.configs).toBeLessThanOrEqual(100);
  });
  it('decides the 40-process history, with a bounded number of minimization runs', () => {
    const r = validated(concurrentFromInUse(40));
    expect(r.verdict).toBe('not-linearizable');
    // The first Busy (process 2's return, after process 1's) is the event no order explains.
    expect(r.violation).toMatchObject({ line: 44, clause: 'Frame::from_in_use.ensures.err_kind', minimal: true });
    expect(r.configs).toBeLessThanOrEqual(100);
    expect(r.violation!.validations).toBeLessThanOrEqual(80);
    // Symmetry never changes the answer: the same failing event and minimal sub-history as a small case scaled up.
    expect(r.violation!.subHistory.length).toBe(44);
  });
  it('still finds linearizations that need the identical operations in a particular order', () => {
    // The claim in flight during all six: Busy before its publication, Ok after.
    const text = concurrentFromInUse(6)
      .split('\n')
      .filter((l) => l !== '');
    const claimInvoke = text[0]!;
    const claimOk = text[1]!;
    const reordered = [claimInvoke, ...text.slice(2), claimOk].join('\n') + '\n';
    expect(validated(reordered).verdict).toBe('linearizable');
  });
});
