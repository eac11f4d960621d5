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

  it.each([
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
