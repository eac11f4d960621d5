/**
 * `--workers N` and `--shard I/N` for `check`: parsing the two flags, and running one shard of a
 * sharded check to its result file (src/check/shardFile.ts), which `framecheck merge` combines.
 */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';
import { exploreParallel, type Shard } from '../../check/explore/parallel.ts';
import { parallelSubject } from '../../subjects/resolve.ts';
import type { Limits } from '../../check/explore/search.ts';
import type { Instance } from '../../check/instance.ts';
import {
  fingerprintsOut,
  framecheckVersion,
  instanceId,
  labelsOut,
  SHARD_FORMAT,
  shardFileText,
} from '../../check/shardFile.ts';
import { UsageError } from '../args.ts';
import { EXIT, flag, type Io } from '../command.ts';
import { writeFileAtomic } from '../writeFileAtomic.ts';

/** The most shards a run may be cut into. */
export const MAX_SHARDS = 4096;

/** The flags, with their help lines. */
export const PARALLEL_FLAG_TABLE = {
  workers: flag('string', 'N', 'worker threads sharing one fingerprint table, 1 to 4 per core (default 1)'),
  shard: flag(
    'string',
    'I/N|auto/N',
    'explore part I of N and write its result file (auto: I from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX)',
  ),
  'shard-file': flag('string', 'FILE', "where a shard's result is written (default shard-I-of-N.json)"),
} as const;

/** Their schema (strings: each is parsed by its own function for a precise message). */
export const ParallelFlagsSchema = z.object({
  workers: z.string().optional(),
  shard: z.string().optional(),
  'shard-file': z.string().optional(),
});

/** The most worker threads that make sense here: four per core (more only contend for the cores). */
export const maxWorkers = (): number => 4 * availableParallelism();

/**
 * `--workers`: 1 up to `maxWorkers()`; 1 when absent. (Not the machine's cores: on 2 cores the
 * level-synchronized search with 2 threads is about as fast as the one-thread explorer on the
 * canonical instance, 0.5-1.1x by wall time, at about 1.5x the CPU: a second thread costs about a
 * second of CPU there (its code compiled again, the compiler's and collector's helper threads, its
 * own store). On large instances it can pay: 3 threads x depth 4 (15-16M states) ran 1.80x faster
 * at 1.02x the CPU in a run whose load fell to 2, and 1.05x at 1.14x the CPU at load 7 (other
 * processes take the second core, and every thread waits at each level's barrier for the slowest).
 * `npm run bench -- workers`.)
 */
export function parseWorkers(text: string | undefined): number {
  if (text === undefined) return 1;
  if (!/^\d+$/.test(text)) throw new UsageError(`--workers: must be a whole number, not '${text}'`);
  const n = Number(text);
  if (n < 1) throw new UsageError('--workers: must be at least 1');
  if (n > maxWorkers())
    throw new UsageError(`--workers: ${n} is more than makes sense here (at most ${maxWorkers()}: 4 per core)`);
  return n;
}

/** `--shard I/N` or `--shard auto/N` (the index from the job array's variable in `env`). */
export function parseShard(text: string, env: Readonly<Record<string, string | undefined>>): Shard {
  const m = /^(\d+|auto)\/(\d+)$/.exec(text);
  if (m === null) throw new UsageError(`--shard: must be I/N or auto/N, such as 0/4, not '${text}'`);
  const count = Number(m[2]);
  if (count < 1 || count > MAX_SHARDS) throw new UsageError(`--shard: N must be between 1 and ${MAX_SHARDS}`);
  let from = '';
  let index = m[1]!;
  if (index === 'auto') {
    const name = ['SLURM_ARRAY_TASK_ID', 'JOB_COMPLETION_INDEX'].find((v) => env[v] !== undefined && env[v] !== '');
    if (name === undefined)
      throw new UsageError(`--shard auto/${count}: neither SLURM_ARRAY_TASK_ID nor JOB_COMPLETION_INDEX is set`);
    index = env[name]!;
    from = ` (${name})`;
    if (!/^\d+$/.test(index)) throw new UsageError(`--shard auto/${count}: ${name} is '${index}', not an index`);
  }
  const i = Number(index);
  if (i >= count) throw new UsageError(`--shard: index ${i}${from} is not below the shard count ${count}`);
  return { index: i, count };
}

/** Runs shard `shard` of the check of `inst` and writes its result file; returns the exit code. */
export function runShard(
  inst: Instance,
  limits: Limits,
  opts: { shard: Shard; workers: number; file: string | undefined; json: boolean },
  io: Io,
): number {
  const { shard } = opts;
  const file = resolve(io.cwd, opts.file ?? `shard-${shard.index}-of-${shard.count}.json`);
  const { result: r, table } = exploreParallel(inst, {
    workers: opts.workers,
    limits,
    shard,
    ...parallelSubject(inst),
  });
  const body = {
    format: SHARD_FORMAT,
    framecheck: framecheckVersion(),
    instance: instanceId(inst),
    shard,
    kind: 'check' as const,
    verdict: r.verdict,
    ...(r.verdict === 'incomplete' && { reason: r.reason }),
    states: r.states,
    transitions: r.transitions,
    depth: r.depth,
    seconds: Number(r.seconds.toFixed(3)),
    ...(r.verdict === 'violation' && {
      labels: labelsOut(r.violation.labels),
      property: r.violation.finding.property,
    }),
    fingerprints: fingerprintsOut(table.sorted()),
  };
  writeFileAtomic(file, shardFileText(body));
  const what = r.verdict === 'violation' ? `violation of ${r.violation.finding.property}` : r.verdict;
  if (opts.json) io.out(JSON.stringify({ shard, verdict: r.verdict, states: r.states, file }));
  else io.out(`shard ${shard.index}/${shard.count}: ${what} — ${r.states} states; written to ${file}`);
  return r.verdict === 'ok' ? EXIT.ok : r.verdict === 'violation' ? EXIT.violation : EXIT.incomplete;
}

/** simulate's `--shard` flags, with their help lines. */
export const SWARM_FLAG_TABLE = {
  shard: flag(
    'string',
    'I/N|auto/N',
    'run member I of a swarm of N (disjoint seeds, schedulers alternating) and write its result file',
  ),
  'shard-file': flag('string', 'FILE', "where a swarm member's result is written (default swarm-I-of-N.json)"),
} as const;

/** What one swarm member runs: its own seeds (`seed + I·runs` on) and, unless given, its own scheduler. */
export function swarmMember<
  S extends Readonly<{ seed: number; runs: number; scheduler: 'random' | 'pct'; depth: number }>,
>(s: S, shard: Shard, schedulerGiven: boolean): S {
  const scheduler = schedulerGiven ? s.scheduler : shard.index % 2 === 0 ? 'random' : 'pct';
  const depth = schedulerGiven ? s.depth : 2 + ((shard.index >> 1) % 3);
  return { ...s, seed: s.seed + shard.index * s.runs, scheduler, depth };
}

/** Writes a swarm member's result file (the failure's replay command in `reason`). */
export function writeSwarmResult(
  inst: unknown,
  shard: Shard,
  file: string | undefined,
  r: Readonly<{ verdict: 'ok' | 'violation' | 'incomplete'; steps: number; completed: number; seconds: number }>,
  detail: Readonly<{ property?: string; reason?: string }>,
  io: Io,
): void {
  const body = {
    format: SHARD_FORMAT,
    framecheck: framecheckVersion(),
    instance: JSON.stringify(inst, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)),
    shard,
    kind: 'simulate' as const,
    verdict: r.verdict,
    ...(detail.reason !== undefined && { reason: detail.reason }),
    states: r.steps,
    transitions: r.completed,
    depth: 0,
    seconds: Number(r.seconds.toFixed(3)),
    ...(detail.property !== undefined && { property: detail.property }),
    fingerprints: '',
  };
  writeFileAtomic(resolve(io.cwd, file ?? `swarm-${shard.index}-of-${shard.count}.json`), shardFileText(body));
}
