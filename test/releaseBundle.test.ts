/**
 * Release builds pay nothing for contracts: a bundle of the public API built the way a release is
 * built contains no clause name and no Verus text, while the debug bundle does.
 */
import { buildSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { clauseTable } from '../spec/registry.ts';

function bundle(contracts: '0' | '1'): string {
  const r = buildSync({
    entryPoints: ['src/index.ts'],
    bundle: true,
    platform: 'node',
    format: 'esm',
    write: false,
    minifySyntax: true,
    treeShaking: true,
    define: { 'process.env.FRAMECHECK_CONTRACTS': JSON.stringify(contracts) },
    external: ['fast-check', 'zod', 'ts-pattern'],
  });
  return r.outputFiles[0]!.text;
}

describe('release bundle', () => {
  const names = clauseTable()
    .map((c) => c.name.split('.').at(-1)!)
    .filter((n) => n.length > 8);

  it('contains no clause name and no Verus text when contracts are off', () => {
    const text = bundle('0');
    expect(text).not.toContain('ensures');
    expect(text).not.toContain('old(regions).inv()');
    expect(names.filter((n) => text.includes(`'${n}'`) || text.includes(`"${n}"`))).toEqual([]);
  });

  it('contains the clauses when contracts are on (the test can tell the two apart)', () => {
    const text = bundle('1');
    expect(text).toContain('old(regions).inv()');
  });
});
