/**
 * `framecheck diff A B`: the shortest run whose observable results differ between two protocol versions
 * (`current`, `legacy`, `mutant/NAME`, or `impl` for the `--impl` module), sequential first, then
 * concurrent within the instance's bounds. Exit 1 with the distinguishing trace, 0 when there is none
 * within the bounds, 3 at the state limit.
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { diffProtocols, type DiffResult, type DiffSide } from '../../diff/protocolDiff.ts';
import { diffMessage, diffTrace } from '../../diff/diffTrace.ts';
import { OP_NAMES, opDef } from '../../ops/opTable.ts';
import { mutantByName } from '../../mutants/catalog.ts';
import { intFlag, UsageError, validate } from '../args.ts';
import { EXIT, flag, type Command, type Io } from '../command.ts';
import { INSTANCE_FLAG_TABLE, InstanceFlagsSchema, instanceFromFlags } from './check.ts';
import { implSubject, loadImplementation } from './conform.ts';
import { writeFileAtomic } from '../writeFileAtomic.ts';

const Flags = InstanceFlagsSchema.omit({ variant: true, mutant: true, symmetry: true, por: true }).extend({
  'max-states': intFlag(1, 2 ** 31 - 1).optional(),
  impl: z.string().optional(),
  out: z.string().optional(),
  json: z.boolean().optional(),
});

const FLAG_TABLE = {
  frames: INSTANCE_FLAG_TABLE.frames,
  threads: flag('string', 'T', 'threads of the concurrent phase, 1..8 (default 2)'),
  depth: flag('string', 'D', 'operations per thread, 0..12 (default 2)'),
  ops: flag('string', 'a,b,…', 'the operations a thread may choose from (default: every operation of the table)'),
  program: INSTANCE_FLAG_TABLE.program,
  'ref-count-max': INSTANCE_FLAG_TABLE['ref-count-max'],
  'max-states': flag('string', 'N', 'stop with exit 3 after N states on a side (default 2000000)'),
  impl: flag('string', 'MODULE', 'the module the side `impl` names (as conform --impl)'),
  out: flag('string', 'FILE', 'write the distinguishing trace there (ITF)'),
  json: flag('boolean', 'one JSON object on stdout, the trace included'),
} as const;

/** The sides a diff compares, by the names the command takes. */
async function side(name: string, impl: string | undefined, io: Io): Promise<{ side: DiffSide; done: () => void }> {
  if (name === 'current' || name === 'legacy')
    return { side: { name, variant: name, subject: undefined }, done: () => {} };
  if (name.startsWith('mutant/')) {
    const m = mutantByName(name.slice('mutant/'.length));
    if (m === undefined || (m.region === undefined && m.layer === undefined))
      throw new UsageError(
        `unknown variant '${name}': not a region or frame-layer mutant of the catalog (framecheck mutants --list)`,
      );
    return { side: { name, variant: 'current', subject: m }, done: () => {} };
  }
  if (name === 'impl') {
    if (impl === undefined) throw new UsageError("the side 'impl' needs --impl MODULE");
    // the module says which protocol it implements; the side runs on that protocol's layout
    const variant = (await loadImplementation(impl, io)).protocol ?? 'current';
    const s = await implSubject(impl, io, variant);
    return { side: { name: `impl (${impl})`, variant, subject: s.subject }, done: s.done };
  }
  throw new UsageError(`unknown variant '${name}' (sides: current, legacy, mutant/NAME, impl)`);
}

function text(left: DiffSide, right: DiffSide, r: DiffResult, io: Io): void {
  if (r.verdict === 'same') {
    io.out(`no observable difference between ${left.name} and ${right.name} within the bounds (${r.states} states)`);
    return;
  }
  if (r.verdict === 'incomplete') {
    io.out(`incomplete: ${r.reason} (${r.states} states); no difference found so far`);
    return;
  }
  io.out(`${left.name} and ${right.name} differ: ${diffMessage(left, right, r)}`);
  for (const s of r.steps)
    io.out(
      `  T${s.t} ${s.op}(${s.frame < 0 ? '' : s.frame})  ${left.name}: ${s.left.join(' | ') || '(cannot complete it)'}  ${right.name}: ${s.right.join(' | ') || '(cannot complete it)'}`,
    );
}

export const diff: Command = {
  summary: 'the shortest run whose observable results differ between two protocol versions',
  usage:
    'framecheck diff A B [--frames F] [--threads T] [--depth D] [--ops a,b,…] [--impl MODULE] [--out FILE] [--json]\n' +
    '  A, B: current | legacy | mutant/NAME | impl (the --impl module)',
  flags: FLAG_TABLE,
  exits: {
    0: 'no observable difference within the bounds',
    1: 'the sides differ: the distinguishing trace is printed (and written with --out)',
    2: 'bad input: the same side twice, an unknown variant, a malformed instance',
    3: 'a state limit was reached before a verdict',
  },
  async run(args, io) {
    const f = validate(Flags, args.flags);
    if (args.positionals.length !== 2) throw new UsageError('diff takes two sides: framecheck diff A B');
    const [a, b] = args.positionals as [string, string];
    if (a === b) throw new UsageError(`diff compares two different sides; '${a}' is given twice`);
    const L = await side(a, f.impl, io);
    const R = await side(b, f.impl, io);
    const inst = instanceFromFlags({
      ...f,
      threads: f.threads ?? 2,
      depth: f.depth ?? 2,
      // every operation whose result can tell two sides apart
      ops: f.ops ?? OP_NAMES.filter((o) => opDef(o).silent !== true).join(','),
    });
    const r = diffProtocols(L.side, R.side, { instance: inst, maxStates: f['max-states'] ?? 2_000_000 });
    L.done();
    R.done();
    const trace = r.verdict === 'differ' ? diffTrace(L.side, R.side, inst, r) : undefined;
    if (trace !== undefined && f.out !== undefined)
      writeFileAtomic(resolve(io.cwd, f.out), `${JSON.stringify(trace, null, 1)}\n`);
    if (f.json)
      io.out(
        JSON.stringify({
          verdict: r.verdict,
          left: L.side.name,
          right: R.side.name,
          states: r.states,
          ...(r.verdict === 'incomplete' && { reason: r.reason }),
          ...(r.verdict === 'differ' && { phase: r.phase, witness: r.witness, steps: r.steps, trace }),
        }),
      );
    else text(L.side, R.side, r, io);
    return r.verdict === 'differ' ? EXIT.violation : r.verdict === 'same' ? EXIT.ok : EXIT.incomplete;
  },
};
