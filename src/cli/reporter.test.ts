import { describe, expect, it } from 'vitest';
import { exitOf, quietLine } from './reporter.ts';

describe('reporter', () => {
  it('maps each verdict to its exit code', () => {
    expect([exitOf('ok'), exitOf('violation'), exitOf('incomplete')]).toEqual([0, 1, 3]);
  });
  it('writes the line of a run without a violation', () => {
    expect(quietLine({ verdict: 'ok' }, '12 states')).toBe('ok — 12 states');
    expect(quietLine({ verdict: 'incomplete', reason: '--time-limit reached' }, '12 states')).toBe(
      'incomplete: --time-limit reached — 12 states',
    );
  });
});
