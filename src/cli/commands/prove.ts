/**
 * `framecheck prove [NAME…] [--json]`: discharges the proof obligations with Z3 and re-runs the
 * certificates of bounded runs; `--certify "<check flags>"` records a new certificate.
 */
import { join, resolve } from 'node:path';
import { z } from 'zod';
import type { Instance } from '../../check/instance.ts';
import { certify } from '../../prove/certificate.ts';
import { DEFAULT_TIMEOUT_MS } from '../../prove/discharge.ts';
import {
  defaultCertificateDir,
  proveObligations,
  readCertificates,
  recheck,
  type CertificateRow,
  type ObligationRow,
} from '../../prove/proveAll.ts';
import { OBLIGATIONS } from '../../../proofs/index.ts';
import { splitArgs, UsageError, validate } from '../args.ts';
import { EXIT, flag, flagKinds, type Command, type Io } from '../command.ts';
import { INSTANCE_FLAG_TABLE, instanceFromFlags, InstanceFlagsSchema } from './check.ts';
import { outputDir, writeFileAtomic as writeAtomic } from '../writeFileAtomic.ts';

/** The flags of `check` that define an instance (what a certificate records). */
const INSTANCE_FLAGS = flagKinds(INSTANCE_FLAG_TABLE);

const Flags = z.object({
  json: z.boolean().optional(),
  timeout: z
    .string()
    .regex(/^\d+(\.\d+)?$/, 'must be a number of seconds')
    .transform(Number)
    .refine((t) => t > 0 && t <= 3600, 'must be more than 0 and at most 3600 seconds')
    .optional(),
  certify: z.boolean().optional(),
  name: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/, 'must be letters, digits, ".", "_" or "-"')
    .optional(),
  certificates: z.string().optional(),
  'sleep-sets': z.boolean().optional(),
});

/** The instance flags given on the command line, as a canonical flag string (what the certificate records). */
function flagString(flags: Readonly<Record<string, string | boolean>>): string {
  return Object.keys(INSTANCE_FLAGS)
    .filter((k) => flags[k] !== undefined)
    .map((k) =>
      flags[k] === true ? `--${k}` : flags[k] === false ? `--no-${k}` : `--${k} ${quoted(String(flags[k]))}`,
    )
    .join(' ');
}

/** A flag value as `argvOf` reads it back: quoted when it holds white space. */
function quoted(v: string): string {
  return /\s/.test(v) ? `"${v}"` : v;
}

/** Splits a flag string into argv, keeping "quoted parts" whole. */
function argvOf(text: string): string[] {
  return [...text.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}

/** The instance `check` would explore with these flags (its defaults included). */
export function instanceOfFlags(flags: string): Instance {
  const raw = splitArgs(argvOf(flags), INSTANCE_FLAGS);
  if (raw.positionals.length > 0) throw new UsageError(`unexpected argument '${raw.positionals[0]}' in "${flags}"`);
  const f = validate(InstanceFlagsSchema, raw.flags);
  return instanceFromFlags({ ...f, 'ref-count-max': f['ref-count-max'] ?? 2 });
}

/** A certificate name from its flags: `--frames 1 --threads 2` → `frames-1-threads-2`. */
function nameOf(flags: string): string {
  return flags.replace(/[^A-Za-z0-9_.]+/g, '-').replace(/^-+|-+$/g, '') || 'certificate';
}

/** `--certify`: runs the instance and writes its certificate atomically. */
function runCertify(flags: string, name: string, dir: string, json: boolean, sleepSets: boolean, io: Io): number {
  const r = certify(name, flags, instanceOfFlags(flags), undefined, sleepSets);
  if (!r.ok) {
    io.err(`framecheck: cannot certify "${flags}": the run ended with ${r.reason}`);
    if (json) io.out(JSON.stringify({ certified: false, name, flags, verdict: r.verdict, reason: r.reason }));
    return r.verdict === 'violation' ? EXIT.violation : EXIT.incomplete;
  }
  outputDir(dir);
  const file = join(dir, `${name}.json`);
  writeAtomic(file, `${JSON.stringify(r.certificate, null, 2)}\n`);
  const c = r.certificate;
  if (json) {
    io.out(
      JSON.stringify({
        certified: true,
        name,
        flags,
        file,
        states: c.states,
        transitions: c.transitions,
        digest: c.digest.sum,
        seconds: Number(r.seconds.toFixed(3)),
      }),
    );
    return EXIT.ok;
  }
  io.out(
    `certified ${name}: ${r.certificate.states} states, ${r.certificate.transitions} transitions, digest ${r.certificate.digest.sum} (${r.seconds.toFixed(2)} s) — written to ${file}`,
  );
  return EXIT.ok;
}

const hex = (v: bigint) => `0x${v.toString(16)}`;

function detailOf(r: ObligationRow): string {
  if (r.status === 'unknown') return `solver: ${r.reason ?? '?'}`;
  if (r.status === 'failed') {
    const cex = Object.entries(r.counterexample ?? {})
      .map(([k, v]) => `${k}=${hex(v)}`)
      .join(' ');
    return `counterexample ${cex}; the TypeScript predicate ${r.predicateHolds ? 'holds on it (the encoding drifted)' : 'rejects it too'}`;
  }
  return r.mirrors ?? '';
}

function printTable(obls: readonly ObligationRow[], certs: readonly CertificateRow[], io: Io): void {
  io.out(`${'obligation'.padEnd(40)}${'status'.padEnd(12)}${'seconds'.padEnd(9)}mirrors / detail`);
  for (const r of obls)
    io.out(`${r.name.padEnd(40)}${r.status.padEnd(12)}${r.seconds.toFixed(2).padEnd(9)}${detailOf(r)}`);
  if (certs.length > 0) io.out(`${'certificate'.padEnd(40)}${'status'.padEnd(12)}${'seconds'.padEnd(9)}detail`);
  for (const c of certs) {
    const detail =
      c.status === 'reproduced' ? `${c.states} states, digest reproduced` : (c.differences ?? []).join('; ');
    io.out(`${c.name.padEnd(40)}${c.status.padEnd(12)}${c.seconds.toFixed(2).padEnd(9)}${detail}`);
  }
  const proved = obls.filter((r) => r.status === 'proved').length;
  const reproduced = certs.filter((c) => c.status === 'reproduced').length;
  const total = [...obls, ...certs].reduce((s, r) => s + r.seconds, 0);
  io.out(
    `${proved}/${obls.length} obligations proved, ${reproduced}/${certs.length} certificates reproduced (${total.toFixed(2)} s)`,
  );
}

function jsonOf(obls: readonly ObligationRow[], certs: readonly CertificateRow[]): string {
  const big = (_k: string, v: unknown) => (typeof v === 'bigint' ? hex(v) : v);
  const round = (s: number) => Number(s.toFixed(3));
  return JSON.stringify(
    {
      obligations: obls.map((r) => ({ ...r, seconds: round(r.seconds) })),
      certificates: certs.map((c) => ({ ...c, seconds: round(c.seconds) })),
    },
    big,
  );
}

/** 0 when everything is proved and reproduced; 1 on a failure; 3 when only unknowns remain. */
function exitOf(obls: readonly ObligationRow[], certs: readonly CertificateRow[]): number {
  if (obls.some((r) => r.status === 'failed') || certs.some((c) => c.status === 'failed')) return EXIT.violation;
  return obls.some((r) => r.status === 'unknown') ? EXIT.incomplete : EXIT.ok;
}

/** The obligations and certificates `names` select (all when empty); an unknown name is a usage error. */
function select(names: readonly string[], dir: string) {
  const certs = readCertificates(dir);
  const known = new Set([...OBLIGATIONS.map((o) => o.name), ...certs.map((c) => c.name)]);
  const unknown = names.find((n) => !known.has(n));
  if (unknown !== undefined)
    throw new UsageError(`unknown obligation or certificate '${unknown}' (framecheck prove --json lists them)`);
  const pick = <T extends { name: string }>(xs: readonly T[]) =>
    names.length === 0 ? xs : xs.filter((x) => names.includes(x.name));
  return { obligations: pick(OBLIGATIONS), certificates: pick(certs) };
}

/**
 * The default suite's row: every obligation discharged and every committed certificate re-run.
 * `ok` only when all are proved and reproduced; `incomplete` when only solver timeouts remain.
 */
export async function proofsRow(): Promise<{
  job: string;
  verdict: 'ok' | 'violation' | 'incomplete';
  detail: string;
  seconds: number;
}> {
  const t0 = performance.now();
  const obls = await proveObligations(OBLIGATIONS, DEFAULT_TIMEOUT_MS);
  const certs = readCertificates(defaultCertificateDir()).map((c) => recheck(c, instanceOfFlags));
  const code = exitOf(obls, certs);
  const notDone = [...obls.filter((r) => r.status !== 'proved'), ...certs.filter((c) => c.status !== 'reproduced')];
  const proved = obls.length - obls.filter((r) => r.status !== 'proved').length;
  const reproduced = certs.length - certs.filter((c) => c.status !== 'reproduced').length;
  return {
    job: 'proofs: Z3 obligations and certificates of bounded runs',
    verdict: code === EXIT.ok ? 'ok' : code === EXIT.violation ? 'violation' : 'incomplete',
    detail: `${proved}/${obls.length} obligations proved for all inputs, ${reproduced}/${certs.length} certificates reproduced${notDone.length > 0 ? `; not: ${notDone.map((r) => `${r.name} (${r.status})`).join(', ')}` : ''}`,
    seconds: (performance.now() - t0) / 1000,
  };
}

export const prove: Command = {
  summary: 'prove the obligations for all inputs with Z3, and re-run the certificates of bounded runs',
  usage:
    'usage: framecheck prove [NAME…] [flags]\n' +
    '       framecheck prove --certify [--name NAME] [--certificates DIR] <check instance flags>\n' +
    'NAME: an obligation (proofs/NAME.proof.ts) or a certificate (proofs/certificates/NAME.json); default: all',
  flags: {
    json: flag('boolean', 'one JSON object on stdout'),
    timeout: flag('string', 'SECONDS', "the solver's limit per obligation (default 20)"),
    certify: flag('boolean', 'run the instance given by the instance flags and record its certificate'),
    name: flag('string', 'NAME', "the new certificate's name (default: from its flags)"),
    certificates: flag('string', 'DIR', 'where certificates are read and written (default proofs/certificates)'),
    'sleep-sets': flag('boolean', 'with --certify: sleep sets on top of --por (recorded; re-runs use them too)'),
    ...INSTANCE_FLAG_TABLE,
  },
  exits: {
    0: 'every obligation proved and every certificate reproduced (or certified)',
    1: 'an obligation failed or a certificate differs',
    2: 'bad input',
    3: 'only solver timeouts or unknowns remain',
  },
  async run(args, io) {
    const f = validate(Flags, args.flags);
    const dir = f.certificates !== undefined ? resolve(io.cwd, f.certificates) : defaultCertificateDir();
    const instance = flagString(args.flags);
    if (f.certify === true) {
      if (args.positionals.length > 0) throw new UsageError(`--certify takes no NAME (use --name)`);
      return runCertify(instance, f.name ?? nameOf(instance), dir, f.json ?? false, f['sleep-sets'] ?? false, io);
    }
    if (f.name !== undefined || f['sleep-sets'] !== undefined || instance !== '')
      throw new UsageError('--name, --sleep-sets and instance flags describe a new certificate: add --certify');
    const { obligations, certificates } = select(args.positionals, dir);
    const obls = await proveObligations(
      obligations,
      Math.max(1, Math.round((f.timeout ?? DEFAULT_TIMEOUT_MS / 1000) * 1000)),
    );
    const certs = certificates.map((c) => recheck(c, instanceOfFlags));
    if (f.json) io.out(jsonOf(obls, certs));
    else printTable(obls, certs, io);
    return exitOf(obls, certs);
  },
};
