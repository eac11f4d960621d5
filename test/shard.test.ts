/**
 * Sharded checks as processes of the built CLI: N shards (`check --shard I/N`) run side by side and
 * merged (`framecheck merge`) give the verdict and the exact state count of the unsharded run, on a
 * mutant and on correct code; bad input (worker counts, shard specs, result files from another
 * instance or version, truncated or unmarked files, a missing shard) is one line and exit 2; a shard
 * killed half-way leaves no result file.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseShardFile, shardFileText } from '../src/check/shardFile.ts';

const dir = mkdtempSync(join(tmpdir(), 'framecheck-shard-test-'));

beforeAll(() => {
  execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'ignore' });
}, 300_000);

type Run = { code: number | null; out: string; err: string };

function framecheck(argv: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['bin/framecheck.js', ...argv], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, SLURM_ARRAY_TASK_ID: '', JOB_COMPLETION_INDEX: '', ...env },
    });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('close', (code) => resolve({ code, out, err }));
  });
}

/** Runs `n` shards at once, then merges them; the merged JSON and the exit code. */
async function sharded(
  flags: readonly string[],
  n: number,
  tag: string,
): Promise<{ code: number | null; json: Record<string, unknown> }> {
  const files = Array.from({ length: n }, (_, i) => join(dir, `${tag}-${i}.json`));
  const shards = await Promise.all(
    files.map((f, i) => framecheck(['check', ...flags, '--shard', `${i}/${n}`, '--shard-file', f, '--workers', '1'])),
  );
  for (const s of shards) expect(s.err).toBe('');
  const m = await framecheck(['merge', '--json', '--out', join(dir, `${tag}-out`), ...files]);
  expect(m.err).toBe('');
  return { code: m.code, json: JSON.parse(m.out) as Record<string, unknown> };
}

async function unsharded(flags: readonly string[]): Promise<{ code: number | null; json: Record<string, unknown> }> {
  const r = await framecheck(['check', ...flags, '--json', '--workers', '1', '--out', join(dir, 'one-out')]);
  return { code: r.code, json: JSON.parse(r.out) as Record<string, unknown> };
}

const INSTANCE = ['--frames', '2', '--threads', '3', '--depth', '2', '--ops', 'from_unused,from_in_use,drop'];

describe('sharded and merged runs agree with unsharded ones', () => {
  it.each([
    ['correct code, POR off', [...INSTANCE, '--no-por']],
    ['a mutant, POR off', [...INSTANCE, '--no-por', '--mutant', 'no_overflow_abort']],
  ])('%s: same verdict and exactly the same states', async (_, flags) => {
    const [one, many] = await Promise.all([unsharded(flags), sharded(flags, 3, flags.join('').replace(/\W/g, ''))]);
    expect(many.code).toBe(one.code);
    expect(many.json['verdict']).toBe(one.json['verdict']);
    if (one.json['verdict'] === 'ok') expect(many.json['states']).toBe(one.json['states']);
    else {
      const a = one.json['counterexample'] as Record<string, unknown>;
      const b = many.json['counterexample'] as Record<string, unknown>;
      expect([b['property'], b['steps']]).toEqual([a['property'], a['steps']]);
    }
  });

  it('with POR on, on correct code and a mutant: the same verdicts', async () => {
    const ok = await sharded([...INSTANCE], 2, 'por-ok');
    expect([ok.code, ok.json['verdict']]).toEqual([0, 'ok']);
    const bad = await sharded([...INSTANCE, '--mutant', 'unused_before_meta_drop'], 2, 'por-bad');
    const one = await unsharded([...INSTANCE, '--mutant', 'unused_before_meta_drop']);
    expect([bad.code, bad.json['verdict']]).toEqual([one.code, one.json['verdict']]);
  });

  it('--shard auto/N takes the index from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX', async () => {
    const a = await framecheck(['check', ...INSTANCE, '--shard', 'auto/2', '--shard-file', join(dir, 'auto-a.json')], {
      SLURM_ARRAY_TASK_ID: '1',
    });
    const b = await framecheck(['check', ...INSTANCE, '--shard', 'auto/2', '--shard-file', join(dir, 'auto-b.json')], {
      JOB_COMPLETION_INDEX: '0',
    });
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(parseShardFile(readFileSync(join(dir, 'auto-a.json'), 'utf8'), 'a').shard).toEqual({ index: 1, count: 2 });
    expect(parseShardFile(readFileSync(join(dir, 'auto-b.json'), 'utf8'), 'b').shard).toEqual({ index: 0, count: 2 });
  });
});

describe('check --workers N', () => {
  it('with POR off, 2 worker threads report the states of the one-thread explorer; with POR, its verdict', async () => {
    for (const flags of [
      [...INSTANCE, '--no-por'],
      [...INSTANCE, '--mutant', 'no_overflow_abort'],
    ]) {
      const runs = await Promise.all(
        ['1', '2'].map((w) => framecheck(['check', ...flags, '--workers', w, '--json', '--out', join(dir, `w${w}`)])),
      );
      const [one, two] = runs.map((r) => JSON.parse(r.out) as Record<string, unknown>);
      expect(runs[1]!.code).toBe(runs[0]!.code);
      expect(two!['verdict']).toBe(one!['verdict']);
      if (one!['verdict'] === 'ok') expect(two!['states']).toBe(one!['states']);
    }
  });
});

describe('simulate --shard I/N: a swarm', () => {
  it('members run disjoint seeds and alternating schedulers; merge finds the failure one of them hit', async () => {
    const flags = [
      'simulate',
      '--frames',
      '2',
      '--threads',
      '3',
      '--steps',
      '3000',
      '--runs',
      '3',
      '--ref-count-max',
      '2',
    ];
    const files = [0, 1].map((i) => join(dir, `swarm-${i}.json`));
    const ok = await Promise.all(files.map((f, i) => framecheck([...flags, '--shard', `${i}/2`, '--shard-file', f])));
    expect(ok.map((r) => r.code)).toEqual([0, 0]);
    expect(ok[0]!.out).toMatch(/random, 3 run\(s\).* seed 1\n/);
    expect(ok[1]!.out).toMatch(/pct\(d=2\), 3 run\(s\).* seed 4\n/);
    const merged = await framecheck(['merge', ...files]);
    expect([merged.code, merged.out]).toEqual([0, expect.stringMatching(/^ok — \d+ steps in 2 members\n$/)]);
    const bad = [0, 1].map((i) => join(dir, `swarm-bad-${i}.json`));
    const out = join(dir, 'swarm-out');
    const mutant = ['--mutant', 'no_overflow_abort', '--out', out];
    await Promise.all(bad.map((f, i) => framecheck([...flags, ...mutant, '--shard', `${i}/2`, '--shard-file', f])));
    const m = await framecheck(['merge', ...bad]);
    expect(m.code).toBe(1);
    expect(m.out).toMatch(
      /^violation of .* \(swarm member \d\)[^]*replay: framecheck simulate .* --seed \d+ --runs 1\n$/,
    );
  });
});

describe('bad input: one line, exit 2', () => {
  const oneLine = (r: Run, what: RegExp) => {
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(what);
  };

  it.each([
    [['--workers', '0'], /--workers: must be at least 1/],
    [['--workers', '100000'], /more than makes sense/],
    [['--workers', 'two'], /whole number/],
    [['--shard', '3/2'], /index 3 is not below the shard count 2/],
    [['--shard', '1/0'], /N must be between/],
    [['--shard', 'auto/4'], /neither SLURM_ARRAY_TASK_ID nor JOB_COMPLETION_INDEX is set/],
    [['--shard', 'x'], /must be I\/N or auto\/N/],
  ])('check %j', async (flags, what) => {
    oneLine(await framecheck(['check', ...INSTANCE, ...flags]), what);
  });

  it('merge: another instance, another version, truncated, unmarked, missing or doubled shards', async () => {
    const f = (n: string) => join(dir, n);
    for (const [name, extra] of [
      ['m0.json', ['--shard', '0/2']],
      ['m1.json', ['--shard', '1/2']],
      ['other.json', ['--shard', '1/2', '--depth', '1']],
    ] as const)
      expect((await framecheck(['check', ...INSTANCE, ...extra, '--shard-file', f(name)])).code).toBe(0);
    const text = readFileSync(f('m1.json'), 'utf8');
    const body = parseShardFile(text, 'm1');
    writeFileSync(f('version.json'), shardFileText({ ...body, framecheck: '0.0.1' }));
    writeFileSync(f('cut.json'), text.slice(0, text.length >> 1));
    writeFileSync(f('unmarked.json'), text.replace(',"complete":true', ''));
    writeFileSync(f('altered.json'), text.replace('"states":', '"states":1'));
    oneLine(await framecheck(['merge', f('m0.json'), f('other.json')]), /other\.json: a shard of another instance/);
    oneLine(await framecheck(['merge', f('m0.json'), f('version.json')]), /written by framecheck 0\.0\.1, this is/);
    oneLine(await framecheck(['merge', f('m0.json'), f('cut.json')]), /cut\.json: truncated/);
    oneLine(await framecheck(['merge', f('m0.json'), f('unmarked.json')]), /no completeness marker/);
    oneLine(await framecheck(['merge', f('m0.json'), f('altered.json')]), /checksum mismatch/);
    oneLine(await framecheck(['merge', f('m0.json')]), /shard 1\/2 is missing/);
    oneLine(await framecheck(['merge', f('m0.json'), f('m0.json'), f('m1.json')]), /given twice/);
    oneLine(await framecheck(['merge']), /no shard result files/);
    expect((await framecheck(['merge', f('m0.json'), f('m1.json')])).code).toBe(0);
  });

  it('a shard killed half-way leaves no result file', async () => {
    const file = join(dir, 'killed.json');
    // An instance far too large to finish before the kill (4 threads × 2 frames × depth 3 is ~10^8 states).
    const p = spawn(
      process.execPath,
      [
        'bin/framecheck.js',
        'check',
        '--frames',
        '2',
        '--threads',
        '4',
        '--depth',
        '3',
        '--shard',
        '0/2',
        '--shard-file',
        file,
      ],
      { stdio: 'ignore' },
    );
    // Listened for from the start: a process that ends before the kill must fail the test, not hang it.
    const closed = new Promise<number | null>((r) => p.on('close', (code) => r(code)));
    const early = await Promise.race([closed, new Promise<'running'>((r) => setTimeout(() => r('running'), 1500))]);
    expect(early).toBe('running');
    p.kill('SIGKILL');
    await closed;
    expect(existsSync(file)).toBe(false);
    const m = spawnSync(process.execPath, ['bin/framecheck.js', 'merge', file], { encoding: 'utf8' });
    expect(m.status).toBe(2);
  });
});
