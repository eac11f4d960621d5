/**
 * `framecheck orderings [--variant current|legacy] [--json]`: the ordering audit — every atomic access
 * site weakened one step at a time and explored under RC11; upstream's own orderings explored as they are.
 * Exit 0 when upstream's orderings pass every instance, 1 when some site is too weak.
 */
import { z } from 'zod';
import { auditOrderings, type OrderingAudit } from '../../memory/rc11/orderingAudit.ts';
import { validate } from '../args.ts';
import { EXIT, flag, type Command } from '../command.ts';

function text(a: OrderingAudit): string[] {
  const out = [`ordering audit of the ${a.variant} protocol under RC11`];
  for (const u of a.upstream)
    out.push(
      `  upstream, ${u.instance}: ${u.verdict}${u.violation ? ` — ${u.violation.message}` : ''} (${u.states} states)`,
    );
  const w = (s: string, n: number) => s.padEnd(n);
  out.push(`${w('site', 34)}${w('access', 23)}${w('upstream', 10)}${w('weakest', 10)}load-bearing`);
  for (const s of a.sites) {
    const verdict = !s.exercised ? 'not exercised' : s.tooWeak ? 'TOO WEAK' : s.loadBearing ? 'yes' : 'no';
    out.push(`${w(s.rust, 34)}${w(s.access, 23)}${w(s.ordering, 10)}${w(s.weakest, 10)}${verdict}`);
    if (s.counterexample) out.push(`    ${s.tooWeak ? 'as upstream has it' : 'weakened'}: ${s.counterexample.message}`);
  }
  return out;
}

export const orderings: Command = {
  summary: 'the ordering audit: the weakest sufficient ordering of every atomic access site, under RC11',
  usage: 'usage: framecheck orderings [flags]',
  flags: {
    variant: flag('string', 'current|legacy', 'the protocol audited (default current)'),
    json: flag('boolean', 'the audit as one JSON object on stdout'),
  },
  exits: {
    0: "upstream's orderings pass every instance",
    1: 'some site is too weak as upstream has it',
    2: 'bad input',
  },
  run(args, io) {
    const opts = validate(
      z.object({ variant: z.enum(['current', 'legacy']).optional(), json: z.boolean().optional() }),
      args.flags,
    );
    const a = auditOrderings(opts.variant ?? 'current');
    if (opts.json)
      io.out(
        JSON.stringify({
          variant: a.variant,
          upstream: a.upstream,
          sites: a.sites.map((s) => ({
            rust: s.rust,
            access: s.access,
            ordering: s.ordering,
            weakest: s.weakest,
            loadBearing: s.loadBearing,
            tooWeak: s.tooWeak,
            exercised: s.exercised,
            instances: s.instances,
            weakenings: s.weakenings.map((x) => ({
              ordering: x.ordering,
              passes: x.passes,
              ...(x.instance && { instance: x.instance }),
            })),
            counterexample: s.counterexample ?? null,
          })),
        }),
      );
    else for (const l of text(a)) io.out(l);
    return a.sites.some((s) => s.tooWeak) ? EXIT.violation : EXIT.ok;
  },
};
