import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliIn } from '../../../test/cli.ts';

const run = cliIn();

const tmp = () => mkdtempSync(join(tmpdir(), 'framecheck-check-'));

describe('framecheck check', () => {
  it('prints the statistics as one JSON object and exits 0 when the instance holds', async () => {
    const r = await run('check', '--frames', '1', '--threads', '2', '--depth', '2', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out[0]!) as Record<string, unknown>;
    expect(Object.keys(j)).toEqual([
      'verdict',
      'failed',
      'interrupted',
      'strategy',
      'states',
      'transitions',
      'depth',
      'seconds',
      'statesPerSecond',
      'reductions',
    ]);
    expect(j['verdict']).toBe('ok');
  });

  it('exits 3 with partial statistics at a limit', async () => {
    const r = await run('check', '--max-states', '10', '--json');
    expect(r.code).toBe(3);
    expect(JSON.parse(r.out[0]!)).toMatchObject({
      verdict: 'incomplete',
      states: 10,
      reason: '--max-states 10 reached',
    });
  });

  it('exits 1 on a mutant and writes a counterexample that replay reproduces', async () => {
    const out = tmp();
    const race = [
      'check',
      '--frames',
      '1',
      '--threads',
      '2',
      '--depth',
      '1',
      '--mutant',
      'from_in_use_accepts_zero',
      '--out',
      out,
    ];
    const r = await run(...race, '--json');
    expect(r.code).toBe(1);
    const files = readdirSync(out);
    expect(files).toEqual(['from_in_use_accepts_zero-linearizability.from_in_use.itf.json']);
    const replay = await run('replay', join(out, files[0]!), '--json');
    const again = await run(...race, '--history', join(out, 'h.jsonl'));
    expect(again.code).toBe(1);
    const history = readFileSync(join(out, 'h.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; f: string });
    expect(history.map((e) => `${e.type} ${e.f}`)).toEqual([
      'invoke from_unused',
      'invoke from_in_use',
      'ok from_in_use',
    ]);
    // The path stops while the claim is still in flight, and a pending claim may take effect first: the
    // history alone is linearizable. The explorer saw the bug in memory (from_in_use resurrecting a count of 0).
    expect((await run('validate', join(out, 'h.jsonl'))).code).toBe(0);
    expect(replay.code).toBe(1);
    expect(JSON.parse(replay.out[0]!)).toMatchObject({
      reproduced: true,
      property: 'linearizability.from_in_use',
      steps: 3,
    });
  });

  it('--strategy random and pct: seeded runs that kill a mutant, minimized and written as bfs does', async () => {
    const out = tmp();
    const small = 'check --frames 1 --threads 2 --depth 2'.split(' ');
    const argv = [...small, '--mutant', 'claim_load_then_store'];
    const r = await run(...argv, '--strategy', 'random', '--runs', '50', '--seed', '4', '--out', out, '--json');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out[0]!) as Record<string, any>;
    expect(j).toMatchObject({ verdict: 'violation', failed: true, strategy: 'random', scheduler: 'random', seed: 4 });
    expect(j['counterexample'].property).toBe('accounting.busy');
    const trace = JSON.parse(readFileSync(j['counterexample'].file as string, 'utf8')) as Record<string, any>;
    expect(trace['#meta'].strategy).toBe('random');
    expect((await run('replay', j['counterexample'].file as string)).code).toBe(1);
    // The failing run alone, from its own seed, fails the same way.
    const seed = String(j['failedRun'].seed);
    const alone = await run(...argv, '--strategy', 'random', '--runs', '1', '--seed', seed, '--out', out, '--json');
    expect(JSON.parse(alone.out[0]!)).toMatchObject({ verdict: 'violation', runs: 1 });
    const p = await run(...argv, '--strategy', 'pct', '--pct-depth', '3', '--runs', '300', '--out', out);
    expect(p.code).toBe(1);
    expect(p.out.at(-2)).toMatch(/^found by pct\(d=3\) in run \d+ \(seed \d+, reproduce with --seed \d+ --runs 1\)/);
    const ok = await run(...small, '--strategy', 'pct', '--runs', '30');
    expect(ok.code).toBe(0);
    expect(ok.out[0]).toMatch(/^ok — pct\(d=3\), 30 run\(s\) from seed 1, \d+ steps/);
  });

  it.each([
    [['check', '--strategy', 'bfs', '--runs', '3'], '--runs and --seed are for --strategy random or pct, not bfs'],
    [['check', '--dfs', '--strategy', 'pct'], '--dfs and --strategy pct exclude each other'],
    [['check', '--strategy', 'random', '--pct-depth', '2'], '--pct-depth needs --strategy pct'],
    [['check', '--strategy', 'random', '--workers', '2'], '--workers and --shard run the breadth-first search'],
    [['check', '--strategy', 'sideways'], '--strategy: must be bfs, dfs, random or pct'],
    [['check', '--frames', '-1'], '--frames: must be between 1 and 16'],
    [['check', '--frames', 'two'], '--frames: must be a whole number'],
    [['check', '--threads', '0'], '--threads: must be between 1 and 8'],
    [['check', '--ops', 'from_unused,teleport'], "unknown op 'teleport'"],
    [['check', '--mutant', 'nosuch'], "unknown mutant 'nosuch'"],
    [
      ['check', '--threads', '2', '--program', '5:from_unused'],
      'program names thread 5, but the instance has 2 thread(s)',
    ],
    [['check', '--frames', '16', '--threads', '8', '--depth', '12'], 'too large to exhaust'],
    [
      ['check', '--variant', 'legacy', '--ops', 'from_unused_unique,drop_unique'],
      'the legacy protocol has no unique frames',
    ],
    [['check', '--max-memory', 'lots'], '--max-memory: must be a size'],
  ])('%s: one line, exit 2, nothing explored', async (argv, msg) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toContain(msg);
    expect(r.out).toEqual([]);
  });
});

describe('framecheck replay on a damaged counterexample', () => {
  const good = 'counterexamples/from_in_use_accepts_zero-linearizability.from_in_use.itf.json';
  const edit = (f: (t: Record<string, any>) => void) => {
    const t = JSON.parse(readFileSync(good, 'utf8')) as Record<string, any>;
    f(t);
    const file = join(tmp(), 'edited.itf.json');
    writeFileSync(file, JSON.stringify(t));
    return file;
  };

  it.each([
    [
      'truncated JSON',
      () => {
        const file = join(tmp(), 'cut.itf.json');
        writeFileSync(file, readFileSync(good, 'utf8').slice(0, 200));
        return file;
      },
      'not JSON',
    ],
    ['a missing field', () => edit((t) => delete t['#meta'].property), '#meta.property'],
    ['an unknown op', () => edit((t) => (t['#meta'].labels[0].op = 'teleport')), '#meta.labels.0.op'],
    [
      'a step that cannot happen',
      () => edit((t) => (t['#meta'].labels[2].op = 'drop')),
      'step 3 (T1 drop) is not possible',
    ],
    ['a thread that does not exist', () => edit((t) => (t['#meta'].labels[1].t = 7)), 'names thread 7'],
    ['an unknown mutant', () => edit((t) => (t['#meta'].instance.mutant = 'nosuch')), "unknown mutant 'nosuch'"],
  ])('%s: one line naming it, exit 2', async (_what, make, msg) => {
    const r = await run('replay', make());
    expect(r.code).toBe(2);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toContain(msg);
  });

  it('a missing file', async () => {
    const r = await run('replay', 'no/such/file.itf.json');
    expect([r.code, r.err.length]).toEqual([2, 1]);
    expect(r.err[0]).toContain('cannot read');
  });
});
