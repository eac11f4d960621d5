/**
 * The repository is hermetic: no source, test or benchmark reaches for a path beside the checkout
 * (the peer models live in `bench/peers/`), and the peer files the tests and benchmarks run exist.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { peerDir } from '../bench/peers/index.ts';
import { SPIN_MODEL } from './spinPeer.ts';
import { missingTool, requireTools } from './systemTools.ts';

const SKIP = new Set(['node_modules', 'dist', '.git', '.framecheck', 'coverage']);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    if (SKIP.has(f)) return [];
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : /\.(ts|mjs|js)$/.test(f) ? [p] : [];
  });
}

/** A path expression that leaves the checkout into the sibling folder: as segments, or as one string. */
const OUTSIDE = /['"]\.\.['"],\s*['"]shared['"]|['"`][^'"`\n]*\.\.\/shared\//;

describe('hermetic repository', () => {
  it('no file builds a path into a folder beside the checkout', () => {
    const files = ['bench', 'test', 'src', 'impl', 'spec', 'proofs', 'examples', 'bin']
      .flatMap((d) => sources(d))
      .filter((f) => f !== join('test', 'hermetic.test.ts'));
    expect(files.length).toBeGreaterThan(100);
    expect(files.filter((f) => OUTSIDE.test(readFileSync(f, 'utf8')))).toEqual([]);
  });

  it('the pattern catches the forms it is meant to catch', () => {
    // The sibling's name is spelled in pieces, so that this file does not itself name a path outside.
    const sibling = ['sha', 'red'].join('');
    expect(OUTSIDE.test(`resolve(root, '..', '${sibling}', 'peers')`)).toBe(true);
    expect(OUTSIDE.test(`readFileSync('../${sibling}/peers/spin/refcount.pml')`)).toBe(true);
    expect(OUTSIDE.test(`join(peerDir('spin'), 'refcount.pml')`)).toBe(false);
  });

  it('the peer models the tests and benchmarks run are in the repository', () => {
    expect(existsSync(SPIN_MODEL)).toBe(true);
    for (const f of ['refcount.qnt', 'package.json']) expect(existsSync(join(peerDir('quint'), f)), f).toBe(true);
    for (const f of ['refcount-model.mjs', 'refcount-sched.mjs'])
      expect(existsSync(join(peerDir('fast-check'), f)), f).toBe(true);
    for (const p of ['spin', 'quint', 'fast-check', 'tlc', 'hypothesis'] as const)
      expect(existsSync(join(peerDir(p), 'run.sh')), p).toBe(true);
  });
});

describe('system-suite tool checks', () => {
  it('name the missing tool and how to install it, on one line without stack frames', () => {
    const why = missingTool('framecheck-no-such-tool', ['--version'], 'apt-get install -y it');
    expect(why).toBe('framecheck-no-such-tool not found: apt-get install -y it');
    let thrown: unknown;
    try {
      requireTools(undefined, why);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as Error).stack).toBe('Error: framecheck-no-such-tool not found: apt-get install -y it');
    expect(() => requireTools(undefined, missingTool('node', ['--version'], 'x'))).not.toThrow();
  });
});
