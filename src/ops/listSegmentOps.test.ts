/**
 * `Drop for LinkedList` (`list_drop`) and `Segment::split` (`segment_split`) as explorer operations:
 * the real code holds on instances that run them, each mutant of theirs is killed where the real code
 * holds, the explorer takes their transitions, and a split needs the handles of two adjacent frames.
 */
import { describe, expect, it } from 'vitest';
import { cliIn } from '../../test/cli.ts';
import { buildInstance } from '../check/instance.ts';
import { initialState, mkThread, threadLabels } from '../check/model.ts';
import { World } from '../check/world.ts';
import { auditSite } from '../memory/rc11/orderingAudit.ts';
import { LIST_SEGMENT_OP_MUTANTS } from '../mutants/listSegmentOpMutants.ts';

const run = cliIn();

/** `framecheck check FLAGS… --json`: its exit code, verdict, transitions and violated property. */
async function check(...flags: string[]) {
  const r = await run('check', ...flags, '--out', 'node_modules/.framecheck-list-segment-ops', '--json');
  expect(r.err).toEqual([]);
  const j = JSON.parse(r.out[0]!) as { verdict: string; transitions: number; counterexample?: { property: string } };
  return { code: r.code, verdict: j.verdict, transitions: j.transitions, property: j.counterexample?.property };
}

/** Splits a catalog instance (`--program "…"` quoted) into argv. */
const argv = (instance: string): string[] => [...instance.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);

const BOUNDS = ['--frames', '2', '--threads', '2', '--depth', '2'];

describe('list_drop and segment_split in the explorer', () => {
  it.each([
    ['current', 'from_unused,segment_split,from_in_use,drop'],
    ['legacy', 'from_unused,segment_split,from_in_use,drop'],
    ['current', 'from_unused_unique,list_drop,from_in_use,drop,drop_unique'],
    ['current', 'alloc,try_into_unique,list_drop,from_in_use,drop'],
  ])('%s protocol, ops %s: the property holds', async (variant, ops) => {
    expect(await check(...BOUNDS, '--variant', variant, '--ops', ops)).toMatchObject({ code: 0, verdict: 'ok' });
  });

  it('takes their transitions: each adds transitions to the alphabet without it', async () => {
    const without = await check(...BOUNDS, '--ops', 'from_unused,drop');
    const split = await check(...BOUNDS, '--ops', 'from_unused,segment_split,drop');
    expect(split.transitions).toBeGreaterThan(without.transitions);
    const unique = await check(...BOUNDS, '--ops', 'from_unused_unique,drop_unique');
    const listed = await check(...BOUNDS, '--ops', 'from_unused_unique,drop_unique,list_drop');
    expect(listed.transitions).toBeGreaterThan(unique.transitions);
  });

  it('a thread in a list drop keeps the frame until UniqueFrame::drop: a racing from_in_use sees Unique', async () => {
    const flags = ['--frames', '1', '--threads', '2', '--program', '0:from_unused_unique,list_drop;1:from_in_use'];
    expect(await check(...flags)).toMatchObject({ code: 0, verdict: 'ok' });
  });

  it('offers a split only on two adjacent frames the thread holds', () => {
    const inst = buildInstance({ frames: 3, threads: 1, depth: 2, ops: 'from_unused,segment_split,drop' }, () => false);
    const world = new World(inst, undefined);
    const idle = initialState(world).threads[0]!;
    const holding = (...fs: number[]) =>
      mkThread(
        2,
        undefined,
        -1,
        [],
        [0, 1, 2].map((f) => (fs.includes(f) ? 1 : 0)),
        [0, 0, 0],
      );
    const splits = (th: typeof idle) =>
      threadLabels(inst, 0, th)
        .filter((l) => l.op === 'segment_split')
        .map((l) => l.frame);
    expect(splits(idle)).toEqual([]);
    expect(splits(holding(0, 2))).toEqual([]);
    expect(splits(holding(1, 2))).toEqual([1]);
    expect(splits(holding(0, 1, 2))).toEqual([0, 1]);
  });

  it.each(LIST_SEGMENT_OP_MUTANTS.map((m) => [m.name, m.instance!] as const))(
    'mutant %s is killed on %s, where the real code holds',
    async (name, instance) => {
      expect((await check(...argv(instance))).verdict).toBe('ok');
      const killed = await check(...argv(instance), '--mutant', name);
      expect(killed).toMatchObject({ code: 1, verdict: 'violation' });
    },
  );

  it('the list mutants are caught by what each breaks: the leaked frame, the slot left in a list', async () => {
    const flags = ['--frames', '1', '--threads', '1', '--program', '0:from_unused_unique,list_drop'];
    expect(await check(...flags, '--mutant', 'list_drop_forgets_frames')).toMatchObject({
      property: 'accounting.unique_owned',
    });
    expect(await check(...flags, '--mutant', 'list_drop_keeps_in_list')).toMatchObject({
      property: 'MetaSlotOwner::inv.busy',
    });
  });

  it.each(['inListLoad', 'inListStore'] as const)(
    'the ordering audit exercises %s through a list drop (Relaxed, and not load-bearing)',
    (site) => {
      expect(auditSite(site, 'current')).toMatchObject({
        ordering: 'Relaxed',
        weakest: 'Relaxed',
        loadBearing: false,
        exercised: true,
        instances: ['unique, in a list, the list dropped'],
      });
    },
  );
});
