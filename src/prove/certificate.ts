/**
 * Certificates of bounded runs: an exhaustive `check` run that ended `ok`, recorded with everything
 * that identifies what it covered — the instance, the reductions, the number of distinct states and
 * transitions, an order-independent digest of the reachable state set, and the invariants checked.
 * Re-running the instance must reproduce every field; a change in the implementation, the spec or
 * the explorer that changes what is reachable shows up as a difference. A certificate is re-run with
 * the reductions it records (`symmetry`, `por`, `sleepSets`), whatever the defaults are by then.
 */
import { z } from 'zod';
import { explore, type Limits } from '../check/explore/search.ts';
import type { Instance } from '../check/instance.ts';
import { usesAlloc } from '../check/world.ts';
import { META_SLOT_OWNER_INV } from '../../spec/meta/MetaSlotOwner.ts';
import type { FrameOpName } from '../../spec/protocol/FrameProtocol.ts';

/** The format tag of a certificate file. */
export const CERTIFICATE_FORMAT = 'framecheck/certificate@1';

const hex64 = z.string().regex(/^0x[0-9a-f]{16}$/, 'must be a 64-bit hex digest');

/**
 * The reductions a run was made with (what `recheck` runs again), beside the statistics the run
 * measured under them (`frameSymmetry`, `sleepPruned`, `ampleStates`, …), kept as recorded.
 * A certificate recorded before `sleepSets` was a setting ran without sleep sets.
 */
export const CertificateReductions = z.looseObject({
  symmetry: z.boolean(),
  por: z.boolean(),
  sleepSets: z.boolean().optional(),
});
/** The reductions of a certificate. */
export type CertificateReductions = z.infer<typeof CertificateReductions>;

/** The settings of the reductions that decide what a run explores. */
export type ReductionSettings = Readonly<{ symmetry: boolean; por: boolean; sleepSets: boolean }>;

/** The reduction settings a certificate was made with. */
export function settingsOf(c: Certificate): ReductionSettings {
  return { symmetry: c.reductions.symmetry, por: c.reductions.por, sleepSets: c.reductions.sleepSets ?? false };
}

/** The certificate file, `proofs/certificates/NAME.json`. */
export const Certificate = z.object({
  format: z.literal(CERTIFICATE_FORMAT),
  name: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'must be a file-name-safe name'),
  flags: z.string(),
  instance: z.record(z.string(), z.unknown()),
  reductions: CertificateReductions,
  verdict: z.literal('ok'),
  states: z.number().int().nonnegative(),
  transitions: z.number().int().nonnegative(),
  depth: z.number().int().nonnegative(),
  digest: z.object({ sum: hex64, xor: hex64 }),
  invariants: z.array(z.string()),
});
/** A parsed certificate. */
export type Certificate = z.infer<typeof Certificate>;

/** The limits of a certifying run: generous, since only complete runs are certified. */
export const CERTIFY_LIMITS: Limits = { maxStates: 5_000_000, timeLimitMs: 600_000, maxMemoryBytes: 4 * 2 ** 30 };

/** An order-independent digest of a set of 64-bit fingerprints: their sum modulo 2^64 and their XOR. */
export class StateDigest {
  #sum = 0n;
  #xor = 0n;

  /** Adds one state's fingerprint. */
  add(hi: number, lo: number): void {
    const x = (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
    this.#sum = BigInt.asUintN(64, this.#sum + x);
    this.#xor ^= x;
  }

  /** The digest as two 16-digit hex strings. */
  value(): { sum: string; xor: string } {
    const h = (x: bigint) => `0x${x.toString(16).padStart(16, '0')}`;
    return { sum: h(this.#sum), xor: h(this.#xor) };
  }
}

/** The operations an instance's programs may run. */
function opsOf(inst: Instance): FrameOpName[] {
  const ops = inst.programs.flatMap((p) => (p.kind === 'any' ? p.ops : p.steps.map((s) => s.op)));
  return [...new Set(ops)].sort();
}

/** The names of the properties the explorer checks on `inst` (see src/check/checks.ts). */
export function invariantsChecked(inst: Instance): string[] {
  const ops = opsOf(inst);
  return [
    ...META_SLOT_OWNER_INV.map((c) => c.name),
    ...['unused', 'busy', 'shared', 'unique'].map((s) => `accounting.${s}`),
    ...(usesAlloc(inst) ? ['accounting.leak'] : []),
    ...ops.map((o) => `linearizability.${o}`),
    ...ops.map((o) => `may_panic.${o}`),
    'livelock',
  ];
}

/** The instance as JSON (the count bound as a decimal string). */
function instanceJson(inst: Instance): Record<string, unknown> {
  return JSON.parse(JSON.stringify(inst, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))) as Record<
    string,
    unknown
  >;
}

/** A certifying run: the certificate, or why the run certifies nothing (a violation, or a limit reached). */
export type CertifyResult =
  | Readonly<{ ok: true; certificate: Certificate; seconds: number }>
  | Readonly<{ ok: false; verdict: 'violation' | 'incomplete'; reason: string; seconds: number }>;

/**
 * Explores `inst` exhaustively (with sleep sets when `sleepSets`) and records the run as the
 * certificate `name`; only an `ok` run certifies.
 */
export function certify(
  name: string,
  flags: string,
  inst: Instance,
  limits: Limits = CERTIFY_LIMITS,
  sleepSets = false,
): CertifyResult {
  const digest = new StateDigest();
  const r = explore(inst, { limits, sleepSets, onState: (hi, lo) => digest.add(hi, lo) });
  if (r.verdict === 'violation') {
    return {
      ok: false,
      verdict: 'violation',
      reason: `a violation of ${r.violation.finding.property}`,
      seconds: r.seconds,
    };
  }
  if (r.verdict === 'incomplete') return { ok: false, verdict: 'incomplete', reason: r.reason, seconds: r.seconds };
  const certificate: Certificate = {
    format: CERTIFICATE_FORMAT,
    name,
    flags,
    instance: instanceJson(inst),
    reductions: { ...r.reductions, sleepSets },
    verdict: 'ok',
    states: r.states,
    transitions: r.transitions,
    depth: r.depth,
    digest: digest.value(),
    invariants: invariantsChecked(inst),
  };
  return { ok: true, certificate, seconds: r.seconds };
}

/**
 * The fields of `expected` that `actual` does not reproduce, each as `field: expected → actual`;
 * `reductions` key by key (`reductions.ampleStates: …`), over the keys `expected` records, so a
 * statistic added to the explorer later does not fail an older certificate.
 */
export function differences(expected: Certificate, actual: Certificate): string[] {
  const diff = (k: string, x: unknown, y: unknown) => {
    const [a, b] = [JSON.stringify(x), JSON.stringify(y)];
    return a === b ? [] : [`${k}: ${a} → ${b}`];
  };
  const keys = Object.keys(expected) as (keyof Certificate)[];
  return keys.flatMap((k) =>
    k === 'reductions'
      ? Object.keys(expected.reductions).flatMap((r) =>
          diff(`reductions.${r}`, expected.reductions[r], actual.reductions[r]),
        )
      : diff(k, expected[k], actual[k]),
  );
}
