/**
 * `framecheck axioms [--spec seed|head] [--json]`: vostd's trusted base checked with Z3 for joint
 * consistency and evaluated on every state of a bounded exploration of the real implementation.
 * Exit 0 when every item is consistent and holds on real states, 1 on a finding, 3 when Z3 decided
 * no verdict for some item (reported `unknown`, never consistent).
 */
import { z } from 'zod';
import { trustedBase } from '../../../spec/axioms/trustedBase.ts';
import { checkConsistency } from '../../axioms/consistency.ts';
import { exploreAxioms } from '../../axioms/realStates.ts';
import { buildInstance } from '../../check/instance.ts';
import { closeZ3, openZ3 } from '../../prove/z3.ts';
import { validate } from '../args.ts';
import { EXIT, type Command } from '../command.ts';

const ALL_OPS = 'from_unused,from_unused_unique,from_in_use,drop,into_shared,try_into_unique,drop_unique';

export const axioms: Command = {
  summary: "vostd's trusted axioms checked for consistency (Z3) and on the real implementation's states",
  usage: 'framecheck axioms [--spec seed|head] [--json]',
  flags: { spec: 'string', json: 'boolean' },
  async run(args, io) {
    const opts = validate(
      z.object({ spec: z.enum(['seed', 'head']).optional(), json: z.boolean().optional() }),
      args.flags,
    );
    const spec = opts.spec ?? 'head';
    const z3 = await openZ3();
    const c = await checkConsistency(z3, spec).finally(() => closeZ3());
    const real = exploreAxioms(
      buildInstance({ frames: 2, threads: 1, depth: 3, ops: ALL_OPS }, () => true),
      spec,
    );
    const rows = trustedBase(spec).map((t) => {
      const v = c.verdicts.get(t.name);
      const bad = real.violations.get(t.name);
      const core = c.cores.find((k) => k.includes(t.name));
      const evidence = [
        t.meaning.kind === 'none' ? `no executable meaning: ${t.meaning.reason}` : '',
        core ? `unsat core: ${core.join(', ')}` : '',
        v === 'unknown' ? 'Z3 gave no verdict within the time budget' : '',
        c.consequences.get(t.name) ?? '',
        bad ? `false on a real state: ${bad.evidence}` : '',
      ]
        .filter((s) => s !== '')
        .join('; ');
      return {
        name: t.name,
        file: t.file,
        consistent: v === undefined ? null : v === 'unknown' ? 'unknown' : v === 'consistent',
        violatedOnRealStates: t.meaning.kind === 'none' ? null : bad !== undefined,
        evidence,
      };
    });
    if (opts.json) io.out(JSON.stringify({ spec, states: real.states, operations: real.operations, axioms: rows }));
    else
      for (const r of rows)
        io.out(
          `${r.name.padEnd(50)} consistent ${String(r.consistent).padEnd(8)} real ${String(r.violatedOnRealStates).padEnd(6)} ${r.evidence}`,
        );
    if (rows.some((r) => r.consistent === false || r.violatedOnRealStates === true)) return EXIT.violation;
    return rows.some((r) => r.consistent === 'unknown') ? EXIT.incomplete : EXIT.ok;
  },
};
