/**
 * The one import rule: spec/ and impl/ never import each other; they meet in src/contract/view.ts.
 * spec/ is pure (no node: modules, no I/O).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\b[^'"]*from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
}

describe('architecture', () => {
  it('spec/ never imports impl/ or src/, nor node built-ins', () => {
    const bad = files('spec').flatMap((f) =>
      imports(f)
        .filter((i) => i.includes('impl/') || i.includes('/src/') || i.startsWith('node:'))
        .map((i) => `${f} -> ${i}`),
    );
    expect(bad).toEqual([]);
  });
  it('impl/ never imports spec/ or src/', () => {
    const bad = files('impl').flatMap((f) =>
      imports(f)
        .filter((i) => i.includes('spec/') || i.includes('/src/'))
        .map((i) => `${f} -> ${i}`),
    );
    expect(bad).toEqual([]);
  });
  it('src/check imports neither src/mutants nor src/conform (subjects are resolved at the edge and passed in)', () => {
    const bad = files('src/check').flatMap((f) =>
      imports(f)
        .filter((i) => /(^|\/)(mutants|conform)\//.test(i))
        .map((i) => `${f.split('\\').join('/')} -> ${i}`),
    );
    expect(bad).toEqual([]);
  });
  it('src/strategies drives the engine only: no front end, no subject source, and the explorer never imports it', () => {
    const bad = files('src/strategies').flatMap((f) =>
      imports(f)
        .filter((i) => /(^|\/)(cli|mutants|conform|subjects|testing)\//.test(i))
        .map((i) => `${f.split('\\').join('/')} -> ${i}`),
    );
    const back = files('src/check').flatMap((f) =>
      imports(f)
        .filter((i) => i.includes('strategies/') && !f.endsWith('checkInstance.ts'))
        .map((i) => `${f.split('\\').join('/')} -> ${i}`),
    );
    expect([...bad, ...back]).toEqual([]);
    expect(imports('src/check/checkInstance.ts').some((i) => i.includes('strategies/'))).toBe(true);
  });
  it('the scan sees the imports it checks', () => {
    expect(imports('src/contract/view.ts').some((i) => i.includes('impl/'))).toBe(true);
    expect(imports('src/contract/view.ts').some((i) => i.includes('spec/'))).toBe(true);
  });
});
