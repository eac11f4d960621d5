/**
 * The CLI as a process: Ctrl-C (SIGINT) stops a long job gracefully with partial statistics and
 * exit 3, and a closed pipe ends it quietly. Runs the built CLI (`bin/framecheck.js`), built first.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, jsonl } from '../src/validate/testHistories.ts';

const dir = mkdtempSync(join(tmpdir(), 'framecheck-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(() => {
  execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'ignore' });
}, 300_000);

/** Starts `framecheck argv`, sends SIGINT once stderr has printed `ready` lines, and collects the rest. */
function interruptAfter(
  argv: readonly string[],
  ready: number,
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['bin/framecheck.js', ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let sent = false;
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      if (!sent && err.split('\n').length > ready) {
        sent = true;
        p.kill('SIGINT');
      }
    });
    p.on('close', (code) => resolve({ code, out, err }));
  });
}

describe('Ctrl-C', () => {
  it('check: stops with the partial statistics, exit 3', async () => {
    const r = await interruptAfter(['check', '--frames', '3', '--threads', '3', '--depth', '4', '--progress'], 1);
    expect(r.out).toMatch(/^incomplete: interrupted — \d+ states, \d+ transitions/);
    expect(r.code).toBe(3);
  });
  it('check --json: the same, as JSON', async () => {
    const r = await interruptAfter(
      ['check', '--frames', '3', '--threads', '3', '--depth', '4', '--progress', '--json'],
      1,
    );
    expect(JSON.parse(r.out)).toMatchObject({ verdict: 'incomplete', reason: 'interrupted' });
    expect(r.code).toBe(3);
  });
  it('simulate: stops between steps, exit 3', async () => {
    const argv = ['simulate', '--runs', '1000000', '--steps', '2000', '--seed', '1', '--progress'];
    const r = await interruptAfter(argv, 1);
    expect(r.out).toMatch(/^incomplete: interrupted — 1024 frames × 16 threads/);
    expect(r.code).toBe(3);
  });
  it('validate: stops between frames with what was decided, exit 3', async () => {
    // 120000 frames, each claimed and dropped: sub-histories decided one after the other, for seconds
    const frames = 120_000;
    const events = Array.from({ length: frames }, (_, k) => {
      const paddr = `0x${((k + 3) * 4096).toString(16)}`;
      return [
        ...call(k % 50, 'from_unused', { paddr, unique: false }, { ok: true }),
        ...call(k % 50, 'drop', { paddr }, { ok: true, last: true }),
      ];
    });
    const file = join(dir, 'many-frames.jsonl');
    writeFileSync(file, jsonl(events.flat()));
    const r = await interruptAfter(['validate', file, '--progress'], 1);
    expect(r.out).toMatch(
      new RegExp(`^incomplete: interrupted during the search; \\d+ of ${frames} frame sub-histories decided\n`),
    );
    expect(r.out).toMatch(/\n {2}undecided: {4}0x/);
    expect(r.code).toBe(3);
  });
  it('default: the jobs not run are marked, exit 3', async () => {
    const r = await interruptAfter(['default', '--quick', '--progress'], 1);
    expect(r.out).toMatch(/not run: interrupted/);
    expect(r.out).toMatch(/jobs passed; not: /);
    expect(r.code).toBe(3);
  });
});

describe('conform: a module that ends the process', () => {
  it.each([
    ['exitsWhileLoading.mjs', 'it called process.exit(0) while loading'],
    ['exitsPastTheGuard.mjs', 'it called process.exit(0)'],
  ])('%s: the one line of rule 7, exit 2, no trace', (fixture, what) => {
    const spec = `src/conform/fixtures/${fixture}`;
    const r = spawnSync(process.execPath, ['bin/framecheck.js', 'conform', '--impl', spec, '--runs', '5'], {
      encoding: 'utf8',
    });
    expect(r.stderr).toBe(
      `framecheck: --impl ${spec}: the module breaks interface rule 7 (an implementation never calls process.exit): ${what}\n`,
    );
    expect(r.stdout).toBe('');
    expect(r.status).toBe(2);
  });
});

describe('a closed pipe', () => {
  it.each([['clauses'], ['--help'], ['check', '--help']])('framecheck %s | true: no trace, exit 0', (...argv) => {
    const r = spawnSync(
      'bash',
      ['-c', `node bin/framecheck.js ${argv.join(' ')} | true; echo "exit \${PIPESTATUS[0]}"`],
      {
        encoding: 'utf8',
      },
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('exit 0\n');
  });
});
