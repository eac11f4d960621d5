/**
 * `--axioms` for `check` and `simulate`: vostd's trusted axioms (HEAD's unless `--spec seed`) evaluated on the real states the
 * command's instance reaches (every state for `check`; for `simulate`, runs of its seeds and step
 * budget under a uniform random scheduler). An axiom false on a real state is a finding, reported beside the command's own
 * result (a line per axiom, or `axiomViolations` in the JSON object) and the exit code becomes 1.
 * Facts about constants (`max_paddr`, `size_of`) are not per-state and are left to `framecheck axioms`.
 * The evaluation is its own breadth-first search without reductions, capped at `AXIOM_STATE_CAP`
 * states (a capped evaluation is incomplete: exit 3 when nothing else is found). Off by default: the
 * search without it evaluates nothing extra.
 */
import { TRUSTED_BASE } from '../../spec/axioms/trustedBase.ts';
import { EXIT, flag, type Io } from '../cli/command.ts';
import type { RealStatesReport, Violation } from './realStates.ts';

/** The most states `check --axioms` evaluates. */
export const AXIOM_STATE_CAP = 200_000;

/** The flag's table entry. */
export const AXIOMS_FLAG = flag(
  'boolean',
  "also evaluate vostd's trusted axioms (of --spec, default head) on the real states reached; one false on a state is a finding, exit 1 (default off)",
);

/** The per-state violations of a report (facts about constants excluded). */
export function stateFindings(r: RealStatesReport): Violation[] {
  const facts = new Set(TRUSTED_BASE.flatMap((t) => (t.meaning.kind === 'fact' ? [t.name] : [])));
  return [...r.violations.values()].filter((v) => !facts.has(v.axiom));
}

/**
 * An `Io` that adds the axiom findings of `report` (when given) to the command's output: merged into
 * its one JSON line under `--json`, or as lines after it; and `exit`, which maps the command's exit
 * code (0 or 3 become 1 when there is a finding).
 */
export function withAxiomFindings(
  io: Io,
  report: RealStatesReport | undefined,
  json: boolean,
): Readonly<{ io: Io; exit: (code: number) => number }> {
  if (report === undefined) return { io, exit: (c) => c };
  const found = stateFindings(report);
  const summary = {
    states: report.states,
    complete: report.complete,
    operations: report.operations,
    interfered: report.interfered,
  };
  let merged = false;
  const out = (line: string) => {
    if (!json || merged || !line.startsWith('{')) return io.out(line);
    merged = true;
    const o = JSON.parse(line) as Record<string, unknown>;
    io.out(JSON.stringify({ ...o, axioms: summary, axiomViolations: found }));
  };
  return {
    io: { ...io, out },
    exit: (code) => {
      if (!json) {
        for (const v of found) io.out(`axiom false on a real state: ${v.axiom} — ${v.evidence}`);
        io.out(
          `axioms: ${found.length === 0 ? 'every trusted axiom held' : `${found.length} false`} on ${summary.states} states${report.complete ? '' : ' (incomplete: the state cap stopped the evaluation)'}, ${summary.operations} operations evaluated (${summary.interfered} left out: another thread wrote their slot)`,
        );
      }
      if (found.length > 0 && (code === EXIT.ok || code === EXIT.incomplete)) return EXIT.violation;
      return code === EXIT.ok && !report.complete ? EXIT.incomplete : code;
    },
  };
}
