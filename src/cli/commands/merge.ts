/**
 * `framecheck merge FILE…`: the shards of a sharded check (`check --shard I/N`) as one verdict. Every
 * shard must be there, intact, of one instance and of this framecheck version. The states are the
 * union of the shards' visited fingerprints; a violation is reported (and its counterexample
 * minimized and written) from the shortest one any shard found.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import type { SearchResult } from '../../check/explore/search.ts';
import { FingerprintSet } from '../../check/FingerprintSet.ts';
import type { Instance } from '../../check/instance.ts';
import {
  fingerprintsIn,
  framecheckVersion,
  labelsIn,
  parseShardFile,
  ShardFileError,
  type ShardBody,
} from '../../check/shardFile.ts';
import { UsageError, validate } from '../args.ts';
import { flag, type Command, type Io } from '../command.ts';
import { exitOf, quietLine } from '../reporter.ts';
import { runCheck } from './check.ts';

const Flags = z.object({ out: z.string().optional(), json: z.boolean().optional() });

/** Reads and checks the shard files: all present, intact, of one instance, count and version. */
export function readShards(files: readonly string[], cwd: string): ShardBody[] {
  if (files.length === 0) throw new UsageError('merge: no shard result files given');
  const version = framecheckVersion();
  const bodies = files.map((f) => {
    let text: string;
    try {
      text = readFileSync(resolve(cwd, f), 'utf8');
    } catch (e) {
      throw new UsageError(`${f}: cannot read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    try {
      const b = parseShardFile(text, f);
      if (b.framecheck !== version)
        throw new ShardFileError(`${f}: written by framecheck ${b.framecheck}, this is ${version}`);
      return b;
    } catch (e) {
      if (e instanceof ShardFileError) throw new UsageError(e.message);
      throw e;
    }
  });
  const first = bodies[0]!;
  bodies.forEach((b, k) => {
    if (b.instance !== first.instance || b.kind !== first.kind)
      throw new UsageError(
        `${files[k]}: a shard of another ${b.kind === first.kind ? 'instance' : 'kind of run'} than ${files[0]}`,
      );
    if (b.shard.count !== first.shard.count)
      throw new UsageError(`${files[k]}: one of ${b.shard.count} shards, ${files[0]} one of ${first.shard.count}`);
  });
  for (let i = 0; i < first.shard.count; i++) {
    const n = bodies.filter((b) => b.shard.index === i).length;
    if (n === 0) throw new UsageError(`merge: shard ${i}/${first.shard.count} is missing`);
    if (n > 1) throw new UsageError(`merge: shard ${i}/${first.shard.count} is given twice`);
  }
  return bodies;
}

/** The instance a shard file names. */
export function instanceOf(b: ShardBody): Instance {
  const raw = JSON.parse(b.instance) as Omit<Instance, 'refCountMax'> & { refCountMax: string };
  return { ...raw, mutant: raw.mutant ?? undefined, refCountMax: BigInt(raw.refCountMax) };
}

/** The shards' results as one: union of states, shortest violation, else incomplete if any is. */
export function mergeShards(bodies: readonly ShardBody[]): SearchResult {
  const seen = new FingerprintSet(20);
  for (const b of bodies) {
    const fps = fingerprintsIn(b.fingerprints);
    for (let j = 0; j + 1 < fps.length; j += 2) seen.add(fps[j]!, fps[j + 1]!);
  }
  const seconds = Math.max(...bodies.map((b) => b.seconds));
  const stats = {
    states: seen.size,
    transitions: bodies.reduce((s, b) => s + b.transitions, 0),
    queue: 0,
    depth: Math.max(...bodies.map((b) => b.depth)),
    seconds,
    statesPerSecond: seconds > 0 ? Math.round(seen.size / seconds) : seen.size,
    memoryBytes: seen.bytes,
    reductions: {
      symmetry: false,
      frameSymmetry: false,
      por: false,
      sleepPruned: 0,
      ampleStates: 0,
      hashCompaction: '64-bit' as const,
    },
  };
  const bad = bodies
    .filter((b) => b.verdict === 'violation')
    .sort((a, b) => (a.labels?.length ?? 0) - (b.labels?.length ?? 0) || a.shard.index - b.shard.index)[0];
  if (bad !== undefined) {
    // The finding is recomputed when the labels are replayed; this one only names the property.
    const finding = {
      property: bad.property ?? 'violation',
      verus: '',
      blame: 'implementation',
      message: '',
      frame: -1,
    };
    return { verdict: 'violation', violation: { finding, labels: labelsIn(bad.labels) }, ...stats } as SearchResult;
  }
  const cut = bodies.find((b) => b.verdict === 'incomplete');
  if (cut !== undefined)
    return { verdict: 'incomplete', reason: `shard ${cut.shard.index}: ${cut.reason ?? 'incomplete'}`, ...stats };
  return { verdict: 'ok', ...stats };
}

export const merge: Command = {
  summary: 'combine the result files of a sharded check or a simulate swarm (--shard I/N) into one verdict',
  usage: 'usage: framecheck merge [flags] FILE…',
  flags: {
    out: flag('string', 'DIR', 'where the counterexample is written (default counterexamples)'),
    json: flag('boolean', 'one JSON object on stdout'),
  },
  exits: {
    0: 'every shard holds',
    1: 'a violation (the shortest counterexample is written to --out)',
    2: 'bad input: a file missing, truncated, incomplete, of another instance or version',
    3: 'a shard was incomplete',
  },
  async run(args, io) {
    const f = validate(Flags, args.flags);
    const bodies = readShards(args.positionals, io.cwd);
    if (bodies[0]!.kind === 'simulate') return mergeSwarm(bodies, f.json ?? false, io);
    const inst = instanceOf(bodies[0]!);
    const limits = { maxStates: 20_000_000, timeLimitMs: 3_600_000, maxMemoryBytes: 8 * 2 ** 30 };
    const opts = { dfs: false, out: f.out ?? 'counterexamples', json: f.json ?? false, result: mergeShards(bodies) };
    return runCheck(inst, limits, opts, io);
  },
};

/** A swarm's members (`simulate --shard`) as one verdict: the first failure found, with its replay command. */
function mergeSwarm(bodies: readonly ShardBody[], json: boolean, io: Io): number {
  const r = mergeShards(bodies);
  const bad = bodies.find((b) => b.verdict === 'violation');
  const steps = bodies.reduce((n, b) => n + b.states, 0);
  if (json)
    io.out(
      JSON.stringify({
        verdict: r.verdict,
        members: bodies.length,
        steps,
        ...(bad && { property: bad.property, replay: bad.reason }),
      }),
    );
  else if (bad !== undefined)
    io.out(
      `violation of ${bad.property} (swarm member ${bad.shard.index}) — ${steps} steps in ${bodies.length} members\nreplay: ${bad.reason}`,
    );
  else
    io.out(
      quietLine(
        r.verdict === 'incomplete' ? { verdict: 'incomplete', reason: r.reason } : { verdict: 'ok' },
        `${steps} steps in ${bodies.length} members`,
      ),
    );
  return exitOf(r.verdict);
}
