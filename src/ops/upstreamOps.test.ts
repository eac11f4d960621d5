import { describe, expect, it } from 'vitest';
import { cliIn } from '../../test/cli.ts';
import { LIST_SEGMENT_OP_MUTANTS } from '../mutants/listSegmentOpMutants.ts';
import { UPSTREAM_OP_MUTANTS } from '../mutants/upstreamOpMutants.ts';
import { UPSTREAM_EXTRA_OPS } from './opTable.ts';

const run = cliIn();

/** `framecheck check FLAGS… --json`: its exit code, verdict and violated property. */
async function check(...flags: string[]) {
  const r = await run('check', ...flags, '--out', 'node_modules/.framecheck-upstream-ops', '--json');
  expect(r.err).toEqual([]);
  const j = JSON.parse(r.out[0]!) as { verdict: string; counterexample?: { property: string } };
  return { code: r.code, verdict: j.verdict, property: j.counterexample?.property };
}

/** Splits a catalog instance (`--program "…"` quoted) into argv. */
const argv = (instance: string): string[] => [...instance.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);

const SHARED =
  'from_unused,from_in_use,inc_frame_ref_count,borrow,reference_count,segment_slice,segment_next,segment_drop,drop';
const UNIQUE = 'from_unused_unique,unique_into_raw,repurpose,meta_mut,into_shared,try_into_unique,drop_unique,drop';
const BOUNDS = ['--frames', '1', '--threads', '2', '--depth', '2', '--ref-count-max', '2'];

describe('the upstream operations in the explorer', () => {
  it.each([
    ['current', SHARED],
    ['current', UNIQUE],
    ['legacy', SHARED],
  ])('%s protocol, ops %s: the property holds', async (variant, ops) => {
    expect(await check(...BOUNDS, '--variant', variant, '--ops', ops)).toEqual({
      code: 0,
      verdict: 'ok',
      property: undefined,
    });
  });

  it('the legacy protocol refuses the UniqueFrame operations', async () => {
    const r = await run('check', '--variant', 'legacy', '--ops', 'from_unused,repurpose');
    expect(r.code).toBe(2);
    expect(r.err).toEqual(['framecheck: the legacy protocol has no unique frames: drop the unique ops']);
  });

  it('every new operation but segment_drop (below) is in the instance of a mutant the explorer kills', () => {
    const programs = [...UPSTREAM_OP_MUTANTS, ...LIST_SEGMENT_OP_MUTANTS].map((m) => m.instance!).join(' ');
    for (const op of UPSTREAM_EXTRA_OPS.filter((o) => o !== 'segment_drop'))
      expect(programs.match(new RegExp(`[:,]${op}\\b`)), op).not.toBeNull();
  });

  it.each(UPSTREAM_OP_MUTANTS.map((m) => [m.name, m.instance!] as const))(
    'mutant %s is killed on %s, where the real code holds',
    async (name, instance) => {
      expect((await check(...argv(instance))).verdict).toBe('ok');
      const killed = await check(...argv(instance), '--mutant', name);
      expect(killed.code).toBe(1);
      expect(killed.verdict).toBe('violation');
    },
  );

  it('Segment drop: a from_raw that takes a reference leaks one on the dropped frame', async () => {
    const flags = ['--frames', '1', '--threads', '1', '--program', '0:from_unused,segment_drop'];
    expect((await check(...flags)).verdict).toBe('ok');
    expect(await check(...flags, '--mutant', 'frame_from_raw_takes_reference')).toMatchObject({
      verdict: 'violation',
      property: 'accounting.shared_active',
    });
  });
});
