/**
 * Discharging the obligations and re-running the certificates: what `framecheck prove` and the
 * default suite report, one row each.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Instance } from '../check/instance.ts';
import { Certificate, certify, differences, settingsOf } from './certificate.ts';
import { discharge, type Verdict } from './discharge.ts';
import type { AnyObligation, Values } from './Obligation.ts';
import { closeZ3, openZ3 } from './z3.ts';

/** One obligation's line of the report. */
export type ObligationRow = Readonly<{
  name: string;
  status: Verdict['status'];
  seconds: number;
  mirrors?: string;
  /** `unknown`: the solver's reason. */
  reason?: string;
  /** `failed`: the falsifying values, and whether the TypeScript predicate holds on the input they make. */
  counterexample?: Values;
  predicateHolds?: boolean;
}>;

/** One certificate's line of the report: reproduced, or the fields the re-run did not reproduce. */
export type CertificateRow = Readonly<{
  name: string;
  status: 'reproduced' | 'failed';
  seconds: number;
  states?: number;
  differences?: readonly string[];
}>;

/** The directory holding this package's `proofs/`: the nearest ancestor with a `package.json`. */
export function packageRoot(): string {
  let d = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(d, 'package.json'))) {
    const up = dirname(d);
    if (up === d) return process.cwd();
    d = up;
  }
  return d;
}

/** The default certificate directory, `proofs/certificates` of this package. */
export function defaultCertificateDir(): string {
  return join(packageRoot(), 'proofs', 'certificates');
}

function rowOf(o: AnyObligation, v: Verdict): ObligationRow {
  const base = {
    name: o.name,
    status: v.status,
    seconds: v.seconds,
    ...(o.mirrors !== undefined && { mirrors: o.mirrors }),
  };
  if (v.status === 'unknown') return { ...base, reason: v.reason };
  if (v.status === 'failed') return { ...base, counterexample: v.counterexample, predicateHolds: v.predicateHolds };
  return base;
}

/** Discharges each obligation in turn (one Z3 session, closed at the end), each goal within `timeoutMs`. */
export async function proveObligations(
  obligations: readonly AnyObligation[],
  timeoutMs: number,
): Promise<ObligationRow[]> {
  if (obligations.length === 0) return [];
  const z = await openZ3();
  try {
    const rows: ObligationRow[] = [];
    for (const o of obligations) rows.push(rowOf(o, await discharge(z, o, timeoutMs)));
    return rows;
  } finally {
    await closeZ3();
  }
}

/** A certificate file: its parsed contents, or why it could not be read. */
export type CertificateFile = Readonly<{ file: string; name: string; certificate?: Certificate; error?: string }>;

/** The certificates `*.json` in `dir`, by file name (none when the directory does not exist). */
export function readCertificates(dir: string): CertificateFile[] {
  if (!existsSync(dir)) return [];
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  return files.map((f) => {
    const file = join(dir, f);
    const name = f.slice(0, -'.json'.length);
    try {
      const r = Certificate.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      if (!r.success)
        return {
          file,
          name,
          error: `not a certificate: ${r.error.issues[0]?.path.join('.')} ${r.error.issues[0]?.message}`,
        };
      return { file, name, certificate: r.data };
    } catch (e) {
      return { file, name, error: `not JSON: ${e instanceof Error ? e.message : String(e)}` };
    }
  });
}

/**
 * Re-runs one certificate's instance (`instanceOf` parses its flags as `check` does) with the
 * reductions the certificate records — not today's defaults — and compares the new certificate with
 * the recorded one, field by field.
 */
export function recheck(c: CertificateFile, instanceOf: (flags: string) => Instance): CertificateRow {
  if (c.certificate === undefined)
    return { name: c.name, status: 'failed', seconds: 0, differences: [c.error ?? 'unreadable'] };
  const cert = c.certificate;
  let inst: Instance;
  try {
    inst = instanceOf(cert.flags);
  } catch (e) {
    // a certificate whose flags no longer make an instance fails; the reason is the parser's one line
    return {
      name: c.name,
      status: 'failed',
      seconds: 0,
      differences: [`flags: ${e instanceof Error ? e.message : String(e)}`],
    };
  }
  const { symmetry, por, sleepSets } = settingsOf(cert);
  const r = certify(cert.name, cert.flags, { ...inst, symmetry, por }, undefined, sleepSets);
  if (!r.ok)
    return {
      name: c.name,
      status: 'failed',
      seconds: r.seconds,
      differences: [`verdict: "ok" → "${r.verdict}" (${r.reason})`],
    };
  const diff = differences(cert, r.certificate);
  if (cert.name !== c.name) diff.unshift(`name: "${cert.name}" does not match the file name "${c.name}.json"`);
  return {
    name: c.name,
    status: diff.length === 0 ? 'reproduced' : 'failed',
    seconds: r.seconds,
    states: r.certificate.states,
    ...(diff.length > 0 && { differences: diff }),
  };
}
