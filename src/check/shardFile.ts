/**
 * The result file of one shard of a sharded check (`check --shard I/N`), and reading it back for
 * `merge`. The file names the instance and the framecheck version it was made with, carries the
 * shard's verdict, statistics, counterexample and visited fingerprints (sorted, base64), then a
 * SHA-256 of all of that and, last, a completeness marker: a file cut short, edited, or from another
 * instance or version is refused.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Instance } from './instance.ts';
import type { Label } from './model.ts';
import { OP_NAMES } from './instance.ts';

export const SHARD_FORMAT = 'framecheck-shard/1' as const;

/** This framecheck's version (from the nearest package.json up from this file). */
export function framecheckVersion(): string {
  for (let d = dirname(fileURLToPath(import.meta.url)); ; d = dirname(d)) {
    const f = join(d, 'package.json');
    if (existsSync(f)) {
      const pkg = JSON.parse(readFileSync(f, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'framecheck') return pkg.version ?? '0.0.0';
    }
    if (dirname(d) === d) return '0.0.0';
  }
}

/** A stable text naming an instance (every field that changes the state space). */
export function instanceId(inst: Instance): string {
  return JSON.stringify({ ...inst, refCountMax: inst.refCountMax.toString() });
}

const LabelSchema = z.tuple([z.number().int(), z.enum(OP_NAMES).nullable(), z.number().int()]);

const BodySchema = z.object({
  format: z.literal(SHARD_FORMAT),
  framecheck: z.string(),
  instance: z.string(),
  shard: z.object({ index: z.number().int().min(0), count: z.number().int().min(1) }),
  kind: z.enum(['check', 'simulate']),
  verdict: z.enum(['ok', 'violation', 'incomplete']),
  reason: z.string().optional(),
  states: z.number().int().min(0),
  transitions: z.number().int().min(0),
  depth: z.number().int().min(0),
  seconds: z.number().min(0),
  labels: z.array(LabelSchema).optional(),
  property: z.string().optional(),
  fingerprints: z.string(),
});

/** What one shard found (the body of its file). */
export type ShardBody = z.infer<typeof BodySchema>;

const checksum = (body: ShardBody): string => createHash('sha256').update(JSON.stringify(body)).digest('hex');

/** The labels of a counterexample in the file's form, and back. */
export const labelsOut = (ls: readonly Label[]): [number, NonNullable<Label['op']> | null, number][] =>
  ls.map((l) => [l.t, l.op ?? null, l.frame]);
export const labelsIn = (ls: ShardBody['labels']): Label[] =>
  (ls ?? []).map(([t, op, frame]) => ({ t, op: op ?? undefined, frame }));

/** Fingerprints (sorted hi, lo pairs) as base64, and back. */
export const fingerprintsOut = (fps: Uint32Array): string =>
  Buffer.from(fps.buffer, fps.byteOffset, fps.byteLength).toString('base64');
export function fingerprintsIn(text: string): Uint32Array {
  const b = Buffer.from(text, 'base64');
  return new Uint32Array(b.buffer.slice(b.byteOffset, b.byteOffset + (b.byteLength & ~7)));
}

/** The file's text: the body, its checksum, then the completeness marker. */
export function shardFileText(body: ShardBody): string {
  const b = BodySchema.parse(body);
  return `${JSON.stringify({ ...b, checksum: checksum(b), complete: true })}\n`;
}

/** Why a shard file is refused: one line for the user. */
export class ShardFileError extends Error {}

/** Parses a shard file's text; `name` is for messages. Throws `ShardFileError` for anything not a whole, intact file. */
export function parseShardFile(text: string, name: string): ShardBody {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new ShardFileError(`${name}: truncated or not a shard result file (not valid JSON)`);
  }
  const rec = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  if (rec['complete'] !== true) throw new ShardFileError(`${name}: incomplete shard result (no completeness marker)`);
  const { checksum: sum, complete: _c, ...rest } = rec;
  const body = BodySchema.safeParse(rest);
  if (!body.success) throw new ShardFileError(`${name}: not a shard result file of format ${SHARD_FORMAT}`);
  if (sum !== checksum(body.data)) throw new ShardFileError(`${name}: checksum mismatch (the file was altered or cut)`);
  return body.data;
}
