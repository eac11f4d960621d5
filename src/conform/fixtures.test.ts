/**
 * `conform` on broken third-party modules (the fixtures beside this file): each bug or breach of the
 * interface rules is reported for what it is, by the command a user runs.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliIn } from '../../test/cli.ts';
import { Guard } from './guard.ts';
import type { ImplementationOptions } from './Implementation.ts';
import { loadImplementation } from '../cli/commands/conform.ts';

const dir = mkdtempSync(join(tmpdir(), 'framecheck-conform-fixtures-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const run = cliIn(() => dir);
const fixture = (name: string) => resolve('src/conform/fixtures', name);
const ONE = 'frames=1 threads=2 depth=2 ops=from_unused,from_in_use,clone,drop';

describe('conform on broken modules', () => {
  it('an implementation that touches the wrong slot is a violation naming the slot, not a crash', async () => {
    const r = await run('conform', '--impl', fixture('wrongSlot.ts'), '--runs', '20', '--out', 'wrong');
    expect(r.err).toEqual([]);
    expect(r.code).toBe(1);
    const text = r.out.join('\n');
    expect(text).toContain('clone(0) accessed slot 1, beyond the region');
    expect(text).toMatch(/explore\s+fail/);
  });
  it("the explorer's counterexample is minimized, written as ITF, and names the thread its trace runs", async () => {
    const out = join(dir, 'race');
    const r = await run(
      'conform',
      '--impl',
      'framecheck:mutant/from_in_use_accepts_zero',
      '--runs',
      '20',
      '--out',
      out,
      '--json',
    );
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out[0]!) as { counterexample: string; jobs: { details: string[] }[] };
    expect(readdirSync(out)).toEqual([
      'framecheck_mutant_from_in_use_accepts_zero-linearizability.from_in_use.itf.json',
    ]);
    const trace = JSON.parse(readFileSync(report.counterexample, 'utf8')) as {
      '#meta': { labels: { t: number }[]; message: string; instance: { threads: number }; implementation: string };
      states: unknown[];
    };
    expect(trace['#meta'].implementation).toBe('framecheck:mutant/from_in_use_accepts_zero');
    // The default instance has 3 threads; the minimizer keeps the two the race needs.
    expect(trace['#meta'].instance.threads).toBe(2);
    expect(trace.states).toHaveLength(trace['#meta'].labels.length + 1);
    const named = /thread (\d+)/.exec(trace['#meta'].message)?.[1];
    expect(trace['#meta'].labels.map((l) => String(l.t))).toContain(named);
    expect(report.jobs[2]!.details[0]).toMatch(/minimized to 2 thread\(s\)/);
    // replay re-runs it through the module; without it, framecheck's own code does not reproduce it.
    const again = await run('replay', report.counterexample, '--impl', 'framecheck:mutant/from_in_use_accepts_zero');
    expect(again.code).toBe(1);
    expect(again.out.at(-1)).toMatch(/^reproduced: linearizability\.from_in_use/);
    const plain = await run('replay', report.counterexample);
    expect(plain.code).not.toBe(1);
  });
  it('the contract job prints the values an operation returned and what the spec returns', async () => {
    const r = await run('conform', '--impl', fixture('alwaysUnique.ts'), '--runs', '20', `--instances=${ONE}`);
    expect(r.code).toBe(1);
    const text = r.out.join('\n');
    expect(text).not.toContain('[object Object]');
    expect(text).toMatch(
      /try_into_unique with two references returned Ok\(\{"kind":"unique".*\}\); the spec returns Err\(InUse\)/,
    );
  });
  it('an operation that loops without touching a word stops at its step budget', async () => {
    const r = await run('conform', '--impl', fixture('spins.ts'), '--runs', '20', `--instances=${ONE}`);
    expect(r.code).toBe(1);
    expect(r.out.join('\n')).toContain('operation fromInUse(0x0) did not return within 100000 steps');
  });
  it('--time-limit stops with partial statistics, exit 3', async () => {
    const r = await run(
      'conform',
      '--impl',
      'framecheck:current',
      '--runs',
      '100000',
      '--time-limit',
      '1',
      '--instances=frames=2 threads=3 depth=3 ops=from_unused,from_in_use,clone,drop',
    );
    expect(r.code).toBe(3);
    expect(r.out[0]).toBe('conform framecheck:current (current protocol): incomplete');
    expect(r.out.join('\n')).toMatch(/random command sequences agree with the sequential spec; --time-limit reached/);
  });
  it('a module catching the explorer’s pause breaks rule 2: one line, exit 2', async () => {
    const r = await run('conform', '--impl', fixture('catchesPause.ts'), '--runs', '20', `--instances=${ONE}`);
    expect(r.out).toEqual([]);
    expect(r.code).toBe(2);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(
      /breaks interface rule 2 \(an implementation must not catch the exception the explorer throws to pause at a memory access\): fromInUse\(0x0\) caught/,
    );
  });
  it('a factory calling process.exit(0) is refused: one line, exit 2', async () => {
    const r = await run('conform', '--impl', fixture('exits.ts'));
    expect(r.code).toBe(2);
    expect(r.err).toEqual([
      expect.stringMatching(
        /exits\.ts: the module breaks interface rule 7 .*: it called process\.exit\(0\) in createImplementation$/,
      ),
    ]);
  });
  it('a module whose top-level await never settles is refused: one line', async () => {
    await expect(
      loadImplementation(fixture('neverSettles.mjs'), { out: () => {}, err: () => {}, progress: false, cwd: dir }, 50),
    ).rejects.toThrow(/neverSettles\.mjs: the module's top-level await never settles \(still loading after 0\.05 s\)/);
  });
  it('--instances runs the explorer on the instances given, with check’s flag schema', async () => {
    const r = await run(
      'conform',
      '--impl',
      'framecheck:current',
      '--runs',
      '20',
      `--instances=${ONE}|--frames 2 --threads 1 --depth 2 --ops from_unused,drop`,
      '--json',
    );
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.out[0]!) as { jobs: { job: string; summary: string; details: string[] }[] };
    expect(rep.jobs[2]!.summary).toMatch(/^2 of 2 instances/);
    expect(rep.jobs[2]!.details.map((d) => d.split(':')[0])).toEqual([
      ONE,
      '--frames 2 --threads 1 --depth 2 --ops from_unused,drop',
    ]);
    const bad = await run('conform', '--impl', 'framecheck:current', '--instances=frames=99');
    expect(bad.code).toBe(2);
    expect(bad.err).toEqual([
      expect.stringContaining('--instances: instance 1 (frames=99): --frames: must be between 1 and 16'),
    ]);
  });
});

describe('check --impl', () => {
  it('explores a third-party module on any instance, and replay --impl reproduces its counterexample', async () => {
    const out = join(dir, 'check-impl');
    const r = await run(
      'check',
      '--impl',
      fixture('alwaysUnique.ts'),
      '--frames',
      '1',
      '--threads',
      '1',
      '--depth',
      '3',
      '--ops',
      'from_unused,clone,try_into_unique',
      '--out',
      out,
      '--json',
    );
    expect(r.code).toBe(1);
    const file = (JSON.parse(r.out[0]!) as { counterexample: { file: string } }).counterexample.file;
    expect((await run('replay', file, '--impl', fixture('alwaysUnique.ts'))).code).toBe(1);
    const ok = await run(
      'check',
      '--impl',
      resolve('examples/closureFrames.ts'),
      '--frames',
      '1',
      '--threads',
      '2',
      '--depth',
      '2',
      '--ops',
      'from_unused,clone,try_into_unique',
    );
    expect(ok.code).toBe(0);
  });
  it('refuses a module of another protocol than --variant', async () => {
    const r = await run('check', '--impl', 'framecheck:legacy');
    expect(r.code).toBe(2);
    expect(r.err).toEqual([expect.stringContaining('implements the legacy protocol; pass --variant legacy')]);
  });
});

describe('the guard', () => {
  it('passes a well-behaved operation through unchanged', () => {
    const g = new Guard(10);
    const m = g.wrap({
      createImplementation: (_o: ImplementationOptions) => ({
        fromUnused: () => 0,
        fromInUse: () => 'Unused',
        clone: () => {},
        drop: () => true,
      }),
    });
    expect(g.breach).toBeUndefined();
    expect(typeof m.createImplementation).toBe('function');
  });
});
