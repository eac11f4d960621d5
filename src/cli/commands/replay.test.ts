import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliIn } from '../../../test/cli.ts';
import { readTrace, reproduce } from './replay.ts';

const dir = mkdtempSync(join(tmpdir(), 'framecheck-replay-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const run = cliIn(() => dir);
const SOURCE = join(
  import.meta.dirname,
  '../../../counterexamples/from_in_use_accepts_zero-linearizability.from_in_use.itf.json',
);
type TraceJson = {
  '#meta': { property: string; message: string; labels: unknown[]; instance: Record<string, unknown> };
};
const original = (): TraceJson => JSON.parse(readFileSync(SOURCE, 'utf8')) as TraceJson;
/** A copy of the counterexample, edited by `edit`, written in the test's folder. */
const variant = (name: string, edit: (t: TraceJson) => void): string => {
  const t = original();
  edit(t);
  writeFileSync(join(dir, name), JSON.stringify(t));
  return name;
};

describe('framecheck replay', () => {
  it('a counterexample reproduces: exit 1', async () => {
    const r = await run(
      'replay',
      variant('same.itf.json', () => {}),
    );
    expect(r.code).toBe(1);
    expect(r.out.at(-1)).toMatch(/^reproduced: linearizability\.from_in_use — /);
  });
  it('the property found before the trace ends is reproduced with fewer steps, not "not reproduced"', async () => {
    const t = original();
    const extra = variant('longer.itf.json', (x) => x['#meta'].labels.push(...t['#meta'].labels));
    const r = await run('replay', extra);
    expect(r.code).toBe(1);
    const n = t['#meta'].labels.length;
    expect(r.out.at(-1)).toContain(
      `reproduced: ${t['#meta'].property} (after ${n} of the trace's ${2 * n} steps: the trace is longer than the violation needs)`,
    );
    const j = JSON.parse((await run('replay', extra, '--json')).out[0]!);
    expect(j).toMatchObject({ reproduced: true, shorter: true, steps: n, recordedSteps: 2 * n });
  });
  it.each([
    ['0', 'refCountMax: must be between 1 and 2147483647 (as for check --ref-count-max)'],
    ['4294967296', 'refCountMax: must be between 1 and 2147483647 (as for check --ref-count-max)'],
  ])('a refCountMax of %s, which check refuses, is bad input: exit 2', async (max, msg) => {
    const name = variant(`max-${max}.itf.json`, (x) => (x['#meta'].instance['refCountMax'] = max));
    const r = await run('replay', name);
    expect(r.code).toBe(2);
    expect(r.out).toEqual([]);
    expect(r.err).toEqual([`framecheck: ${join(dir, name)}: #meta.instance.${msg}`]);
  });
  it('--json carries the message and the timeline', async () => {
    const text = await run('replay', 'same.itf.json');
    const r = await run('replay', 'same.itf.json', '--json');
    expect(r.code).toBe(1);
    expect(r.out).toHaveLength(1);
    const j = JSON.parse(r.out[0]!) as Record<string, unknown>;
    expect(j).toMatchObject({
      reproduced: true,
      property: 'linearizability.from_in_use',
      found: 'linearizability.from_in_use',
      recordedMessage: original()['#meta'].message,
      summary: text.out.at(-1),
    });
    expect(text.out.at(-1)).toContain(j['message'] as string);
    expect(j['timeline']).toEqual(text.out.slice(0, -1));
  });
  it('a path that does not fit its instance is bad input; with the mutant taken out, it runs as far as it fits', async () => {
    const t = original();
    const fixed = variant('fixed.itf.json', (x) => delete x['#meta'].instance['mutant']);
    const r = await run('replay', fixed);
    expect(r.code).toBe(2);
    expect(r.err[0]).toMatch(/the trace does not fit its instance: step \d+ /);
    const again = reproduce(readTrace(join(dir, 'same.itf.json')), { mutant: null });
    expect(again.reproduced).toBe(false);
    expect(again.run.finding?.property).not.toBe(t['#meta'].property);
    expect(again.run.labels.length).toBeLessThanOrEqual(t['#meta'].labels.length);
  });
});

/** The front ends' non-test sources under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

describe('front ends reach the engine through checkInstance', () => {
  it('no front end imports the steps checkInstance strings together (runLabels, minimize, toTrace)', () => {
    const root = join(import.meta.dirname, '../..');
    const dirs = ['cli', 'conform', 'mutants', 'diff'].map((d) => join(root, d));
    const all = dirs.flatMap(sources);
    expect(all.some((f) => f.endsWith(join('cli', 'commands', 'replay.ts')))).toBe(true);
    const steps = /^\s*import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*['"][^'"]*check\/[^'"]*['"]/gm;
    const bad = all.flatMap((f) =>
      [...readFileSync(f, 'utf8').matchAll(steps)]
        .filter((m) => /\b(runLabels|runChosen|minimize|toTrace)\b/.test(m[1]!))
        .map(() => f.slice(root.length + 1)),
    );
    expect(bad).toEqual([]);
  });
});
