/** The Z3 loader: a missing `z3-solver` package is one line saying how to install it. */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../cli/args.ts';
import { importZ3, Z3_MISSING } from './z3.ts';

describe('importZ3', () => {
  it('turns a missing package into a UsageError naming the install command', async () => {
    const err = await importZ3('z3-solver-not-installed-here').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toBe('z3-solver is not installed: npm install z3-solver');
    expect(Z3_MISSING.includes('\n')).toBe(false);
  });

  it('loads the installed package', async () => {
    const m = await importZ3();
    expect(typeof m.init).toBe('function');
  });
});
