/**
 * The two search orders reach the same verdicts and visit the same states on a full exploration;
 * breadth-first's counterexample is never longer than depth-first's.
 */
import { describe, expect, it } from 'vitest';
import { mutantByName } from '../../mutants/catalog.ts';
import { subjectOf } from '../../subjects/resolve.ts';
import { buildInstance, type InstanceFlags } from '../instance.ts';
import { Frontier } from './frontier.ts';
import { BFS } from './bfs.ts';
import { DFS } from './dfs.ts';
import { explore } from './search.ts';

const limits = { maxStates: 1_000_000, timeLimitMs: 120_000, maxMemoryBytes: 2 ** 31 };
const inst = (f: Partial<InstanceFlags>) =>
  buildInstance(
    { frames: 1, threads: 2, depth: 2, ops: 'from_unused,from_in_use,drop', refCountMax: 2, por: false, ...f },
    (n) => mutantByName(n) !== undefined,
  );
const run = (f: Partial<InstanceFlags>, dfs: boolean) => {
  const i = inst(f);
  const subject = subjectOf(i);
  return explore(i, { limits, dfs, ...(subject && { subject }) });
};

describe('search orders', () => {
  it('take the oldest (bfs) or the newest (dfs) waiting state', () => {
    const f = new Frontier(1);
    for (const id of [1, 2, 3]) f.push(0, false, -1, 0, id, 0, [0], []);
    expect(BFS.next(f) && f.cur.id).toBe(1);
    expect(DFS.next(f) && f.cur.id).toBe(3);
    expect(BFS.next(f) && f.cur.id).toBe(2);
    expect(DFS.next(f)).toBe(false);
  });

  it('visit the same states of the correct implementation', () => {
    const bfs = run({}, false);
    const dfs = run({}, true);
    expect([bfs.verdict, dfs.verdict]).toEqual(['ok', 'ok']);
    expect(dfs.states).toBe(bfs.states);
  });

  it('both kill a mutant, breadth-first with the shorter trace', () => {
    const bfs = run({ mutant: 'claim_load_then_store' }, false);
    const dfs = run({ mutant: 'claim_load_then_store' }, true);
    if (bfs.verdict !== 'violation' || dfs.verdict !== 'violation') throw new Error('not killed');
    expect(dfs.violation.finding.property).toBe(bfs.violation.finding.property);
    expect(bfs.violation.labels.length).toBeLessThanOrEqual(dfs.violation.labels.length);
  });
});
