/**
 * Every counterexample in this folder is replayed: it must reproduce on the variant or mutant it
 * records, and must not reproduce on the correct implementation.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTrace, reproduce } from '../src/cli/commands/replay.ts';

const dir = import.meta.dirname;
const files = readdirSync(dir).filter((f) => f.endsWith('.itf.json'));

describe('counterexamples/', () => {
  it('holds counterexamples to replay', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s reproduces on what it records, and not on the correct implementation', (f) => {
    const trace = readTrace(join(dir, f));
    expect(reproduce(trace).reproduced).toBe(true);
    if (trace['#meta'].instance.mutant !== undefined) expect(reproduce(trace, { mutant: null }).reproduced).toBe(false);
  });
});
