/**
 * `framecheck axioms [--spec seed|head] [--json]`: vostd's trusted base checked with Z3 for joint
 * consistency and evaluated on every state of a bounded exploration of the real implementation.
 * Exit 0 when every item is consistent and holds on real states, 1 on a finding, 3 when Z3 decided
 * no verdict for some item (reported `unknown`, never consistent).
 */
import { z } from 'zod';
import { trustedBase, type SpecVersion } from '../../../spec/axioms/trustedBase.ts';
import { checkConsistency, type Consistency } from '../../axioms/consistency.ts';
import { exploreAxioms, type RealStatesReport } from '../../axioms/realStates.ts';
import { buildInstance } from '../../check/instance.ts';
import { mutantByName } from '../../mutants/catalog.ts';
import { closeZ3, openZ3 } from '../../prove/z3.ts';
import { intFlag, validate } from '../args.ts';
import { EXIT, flag, type Command, type ExitCode } from '../command.ts';

const ALL_OPS = 'from_unused,from_unused_unique,from_in_use,drop,into_shared,try_into_unique,drop_unique';

/** The instances the axioms are evaluated on: every op on one thread, and the counting ops on two. */
const REAL_INSTANCES = [
  { frames: 2, threads: 1, depth: 3, ops: ALL_OPS },
  { frames: 1, threads: 2, depth: 2, ops: 'from_unused,from_unused_unique,from_in_use,drop,drop_unique' },
] as const;

/** One row of the report (`--json`'s `axioms[]`). */
export type AxiomRow = Readonly<{
  name: string;
  file: string;
  kind: string;
  /** `null`: no logical content (the reason is in `evidence`). */
  consistent: boolean | 'unknown' | null;
  /** `null`: nothing executable to evaluate. */
  violatedOnRealStates: boolean | null;
  evidence: string;
}>;

/** The rows of `spec`'s trusted base from a consistency verdict and the real-state reports. */
export function axiomRows(spec: SpecVersion, c: Consistency, real: readonly RealStatesReport[]): AxiomRow[] {
  return trustedBase(spec).map((t) => {
    const v = c.verdicts.get(t.name);
    const bad = real.map((r) => r.violations.get(t.name)).find((x) => x !== undefined);
    const unmet = real.map((r) => r.requiresUnmet.get(t.name)).find((x) => x !== undefined);
    const evidence = [
      t.meaning.kind === 'none' ? `no executable meaning: ${t.meaning.reason}` : (c.how.get(t.name) ?? ''),
      c.consequences.get(t.name) ?? '',
      bad ? `false on a real state: ${bad.evidence}` : '',
      unmet ? `requires unmet where the implementation succeeds: ${unmet.evidence}` : '',
    ]
      .filter((s) => s !== '')
      .join('; ');
    return {
      name: t.name,
      file: t.file,
      kind: t.kind,
      consistent: v === undefined ? null : v === 'unknown' ? 'unknown' : v === 'consistent',
      violatedOnRealStates: t.meaning.kind === 'none' ? null : bad !== undefined,
      evidence,
    };
  });
}

/** 1 on an inconsistency or a real-state violation, else 3 when some verdict is unknown, else 0. */
export function axiomsExit(rows: readonly AxiomRow[]): ExitCode {
  if (rows.some((r) => r.consistent === false || r.violatedOnRealStates === true)) return EXIT.violation;
  return rows.some((r) => r.consistent === 'unknown') ? EXIT.incomplete : EXIT.ok;
}

const word = (v: boolean | 'unknown' | null, yes: string, no: string) =>
  v === null ? '-' : v === 'unknown' ? 'unknown' : v ? yes : no;

export const axioms: Command = {
  summary: "vostd's trusted axioms checked for consistency (Z3) and on the real implementation's states",
  usage: 'usage: framecheck axioms [--spec seed|head] [--mutant NAME] [--timeout SECONDS] [--rlimit N] [--json]',
  flags: {
    spec: flag('string', 'seed|head', "which vostd's trusted base: the seed's commit or today's (default head)"),
    mutant: flag(
      'string',
      'NAME',
      'evaluate the axioms on a seeded bug of the catalog instead (framecheck mutants --list)',
    ),
    timeout: flag('string', 'SECONDS', 'Z3 time budget per check; an undecided item is unknown, exit 3 (default 20)'),
    rlimit: flag('string', 'N', "Z3's deterministic resource limit per check, beside --timeout (default none)"),
    json: flag('boolean', 'one JSON object on stdout: {"spec","axioms":[{name,file,kind,consistent,…}]}'),
  },
  exits: {
    0: 'every item is consistent and holds on every explored real state',
    1: 'a finding: an inconsistent subset (with its unsat core) or an axiom false on a real state',
    2: 'bad input',
    3: 'Z3 decided no verdict for some item (reported unknown, never consistent)',
  },
  async run(args, io) {
    const opts = validate(
      z.object({
        spec: z.enum(['seed', 'head']).optional(),
        mutant: z
          .string()
          .refine((n) => mutantByName(n) !== undefined, 'is not a mutant of the catalog (framecheck mutants --list)')
          .optional(),
        timeout: intFlag(1, 3600).optional(),
        rlimit: intFlag(1, 2 ** 31 - 1).optional(),
        json: z.boolean().optional(),
      }),
      args.flags,
    );
    const spec = opts.spec ?? 'head';
    const real = REAL_INSTANCES.map((i) =>
      exploreAxioms(
        buildInstance(opts.mutant === undefined ? i : { ...i, mutant: opts.mutant }, () => true),
        spec,
      ),
    );
    const z3 = await openZ3();
    const budget = {
      timeoutMs: (opts.timeout ?? 20) * 1000,
      ...(opts.rlimit === undefined ? {} : { rlimit: opts.rlimit }),
    };
    const c = await checkConsistency(z3, spec, budget).finally(() => closeZ3());
    const rows = axiomRows(spec, c, real);
    const sum = (k: 'states' | 'operations' | 'interfered') => real.reduce((n, r) => n + r[k], 0);
    if (opts.json)
      io.out(
        JSON.stringify({
          spec,
          ...(opts.mutant === undefined ? {} : { mutant: opts.mutant }),
          states: sum('states'),
          operations: sum('operations'),
          interfered: sum('interfered'),
          cores: c.cores,
          axioms: rows,
        }),
      );
    else {
      for (const r of rows)
        io.out(
          `${r.name.padEnd(50)} ${word(r.consistent, 'consistent', 'INCONSISTENT').padEnd(12)} ${word(r.violatedOnRealStates, 'VIOLATED', 'holds').padEnd(8)} ${r.evidence}`,
        );
      io.out(
        `${rows.length} trusted items of vostd ${spec === 'seed' ? 'seed 1bd29df43' : 'HEAD b5b972861'}; real states: ${sum('states')} states, ${sum('operations')} operations evaluated (${sum('interfered')} left out: another thread wrote their slot)`,
      );
    }
    return axiomsExit(rows);
  },
};
