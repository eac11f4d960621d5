import { describe, expect, it } from 'vitest';
import { asModule, conform } from '../src/conform/conform.ts';
import type { ImplementationOptions } from '../src/conform/Implementation.ts';
import * as closureFrames from './closureFrames.ts';

describe('examples/closureFrames: an independent implementation', () => {
  it('conforms in every job', () => {
    const m = asModule(closureFrames, 'examples/closureFrames.ts');
    if ('error' in m) throw new Error(m.error);
    const r = conform(m, { runs: 100 });
    expect(r.verdict).toBe('conforms');
    expect(r.jobs.map((j) => j.verdict)).toEqual(['pass', 'pass', 'pass']);
  });
  it('fails once a bug is seeded in it: publishing UNUSED before dropping the metadata', () => {
    const buggy = {
      ...closureFrames,
      createImplementation: (o: ImplementationOptions) => {
        const early = {
          ...o,
          metadata: { ...o.metadata, drop: () => {} },
          dealloc: (paddr: number) => (o.metadata.drop(paddr / 4096), o.dealloc(paddr)),
        };
        return closureFrames.createImplementation(early);
      },
    };
    const m = asModule(buggy, 'buggy');
    if ('error' in m) throw new Error(m.error);
    const r = conform(m, { runs: 100 });
    expect(r.verdict).toBe('fails');
    expect(r.jobs.find((j) => j.job === 'explore')!.details.join('\n')).toContain('MetaSlotOwner::inv.unused');
  });
});
