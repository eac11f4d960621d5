/**
 * A counterexample as a timeline: one column per thread, one row per step, with each slot's count
 * and metadata before and after the step. As text for the terminal, and as a self-contained HTML page.
 */
import { showAddr } from '../contract/report.ts';
import { slotFindings } from './checks.ts';
import { spinCycle, type Run } from './explore/search.ts';
import type { Access } from './ReplayMemory.ts';
import { describeLabel } from './trace.ts';

/**
 * One row of a timeline: a step (1-based), or step 0, the initial state, when the run has no steps.
 * `mark` says what the row has to do with the violation: the initial state that already breaks it,
 * the access inside the step that broke a slot invariant, where a livelock's repeating cycle starts
 * and ends.
 */
export type Row = Readonly<{
  step: number;
  /** The thread that took the step (-1 for the initial state). */
  thread: number;
  action: string;
  slots: readonly { before: string; after: string; changed: boolean }[];
  mark: string | undefined;
}>;

const U64 = (1n << 64n) - 1n;
const U32 = (1n << 32n) - 1n;

/** A count as a person reads it. */
export function showCount(v: bigint): string {
  if (v === U64 || v === U32) return 'UNUSED';
  if (v === U64 - 1n) return 'UNIQUE';
  return v.toString();
}

/** The rows of a run's timeline. */
export function timelineRows(run: Run): Row[] {
  const L = run.world.region.layout;
  const F = run.world.inst.frames;
  const slot = (words: readonly bigint[], f: number) =>
    `${showCount(words[f * L.wordsPerSlot + L.refCount]!)}${words[f * L.wordsPerSlot + L.vtable]! !== 0n ? ' meta' : ''}`;
  const slotsOf = (before: readonly bigint[], after: readonly bigint[]) =>
    Array.from({ length: F }, (_, f) => ({
      before: slot(before, f),
      after: slot(after, f),
      changed: slot(before, f) !== slot(after, f),
    }));
  // A step that crashed has no state after it: its row is the finding, not a timeline row.
  const steps = run.labels.slice(0, run.states.length - 1);
  if (steps.length === 0) {
    const init = run.states[0]!.words;
    const mark = run.finding === undefined ? undefined : `✗ ${run.finding.property} broken in the initial state`;
    return [{ step: 0, thread: -1, action: 'initial state', slots: slotsOf(init, init), mark }];
  }
  const marks = stepMarks(run, steps.length);
  return steps.map((l, k) => ({
    step: k + 1,
    thread: l.t,
    action: actionOf(run, k),
    slots: slotsOf(run.states[k]!.words, run.states[k + 1]!.words),
    mark: marks.get(k),
  }));
}

/** The marks of a run's steps (0-based): a mid-step invariant failure, a livelock's cycle. */
function stepMarks(run: Run, n: number): Map<number, string> {
  const marks = new Map<number, string>();
  const k = n - 1;
  const mid = run.results[k]?.midStep;
  if (mid !== undefined) {
    const culprit = midStepCulprit(run, k);
    marks.set(
      k,
      `✗ ${mid.property} broken mid-step${culprit === undefined ? '' : `, right after ${showAccess(run, culprit)}`}`,
    );
  }
  if (run.finding?.property === 'livelock') {
    const m = cycleSteps(run, k);
    if (m === 1) marks.set(k, '⟲ cycle: this step repeats forever');
    else if (m > 1) {
      marks.set(k - m + 1, `⟲ cycle starts: steps ${k - m + 2}–${k + 1} repeat forever`);
      marks.set(k, `⟲ cycle ends: back to step ${k - m + 2}`);
    }
  }
  return marks;
}

/**
 * The access of step `k` after which a slot invariant first failed: the step's writes applied one by
 * one to the state before it, the touched slot checked after each (as the explorer does).
 */
function midStepCulprit(run: Run, k: number): Access | undefined {
  const w = run.world;
  const words = run.states[k]!.words.slice();
  for (const a of stepLog(run, k)) {
    if (a.written === undefined) continue;
    words[a.word] = a.written;
    if (a.word < w.allocWord && slotFindings(w, words, Math.floor(a.word / w.per)).length > 0) return a;
  }
  return undefined;
}

/**
 * How many of the steps up to `k` form a livelock's cycle: the spin cycle the explorer found at the
 * end of the spinning thread's log (as many accesses as it measured), one step per atomic access.
 */
function cycleSteps(run: Run, k: number): number {
  const t = run.labels[k]!.t;
  const s = run.states[k + 1]!;
  const log = s.threads[t]!.log;
  // The same window the explorer measured the cycle on.
  const cycle = spinCycle(log.slice(log.length - s.streak.accesses));
  return log.slice(log.length - cycle).filter((a) => a.atomic).length;
}

/** The label of step `k`, with the atomic accesses it made and the values they read. */
function actionOf(run: Run, k: number): string {
  const l = run.labels[k]!;
  const r = run.results[k];
  const head = describeLabel(l, undefined);
  const accesses = stepAccesses(run, k).map((a) => showAccess(run, a));
  return `${head}${accesses.length > 0 ? `: ${accesses.join(', ')}` : ''}${describeLabel(l, r).slice(head.length)}`;
}

/** The atomic accesses thread `t` made in step `k`. */
function stepAccesses(run: Run, k: number): readonly Access[] {
  return stepLog(run, k).filter((a) => a.atomic);
}

/** Every access of step `k`: its thread's log after the step (or the finished op's) past its log before. */
function stepLog(run: Run, k: number): readonly Access[] {
  const t = run.labels[k]!.t;
  const r = run.results[k];
  const before = run.states[k]!.threads[t]?.log.length ?? 0;
  const log = r?.completed?.log ?? r?.abort?.log ?? run.states[k + 1]?.threads[t]?.log ?? [];
  return log.slice(before);
}

const ACCESS: Record<Access['kind'], string> = {
  load: 'load',
  store: 'store',
  cas: 'compare_exchange',
  add: 'fetch_add',
  sub: 'fetch_sub',
  read: 'read',
  write: 'write',
};

/**
 * One access as the Rust reads it: `ref_count.load() -> 1`, `ref_count.fetch_sub(1) -> 2`,
 * `ref_count.compare_exchange(1, UNIQUE) -> 1` (a failed CAS shows what it read: its operands are not
 * recorded). The slot index is shown when the instance has more than one frame.
 */
export function showAccess(run: Run, a: Access): string {
  const { field, at } = wordName(run, a.word);
  const show = field === 'ref_count' ? showCount : field === 'vtable_ptr' ? showAddr : (v: bigint) => v.toString();
  const w = a.written;
  const operands =
    w === undefined
      ? a.kind === 'cas'
        ? '…'
        : ''
      : a.kind === 'cas'
        ? `${show(a.before)}, ${show(w)}`
        : a.kind === 'add'
          ? (w - a.before).toString()
          : a.kind === 'sub'
            ? (a.before - w).toString()
            : show(w);
  const read =
    a.observed === undefined ? '' : ` -> ${show(a.observed)}${a.kind === 'cas' && w === undefined ? ' (failed)' : ''}`;
  return `${field}${at}.${ACCESS[a.kind]}(${operands})${read}`;
}

/** The text of row `r` in thread `t`'s column: its action there (the initial state's in the first). */
function cell(r: Row, t: number): string {
  return t === r.thread || (r.thread < 0 && t === 0) ? r.action.replace(/^T\d+ /, '') : '';
}

/**
 * The field a word is and the slot it belongs to (`[1]`, shown when the instance has more than one
 * frame); the words after the slots are the allocator's (`allocator`, `allocator[1]` when it has several).
 */
function wordName(run: Run, word: number): { field: string; at: string } {
  const L = run.world.region.layout;
  const alloc = run.world.allocWord;
  if (word >= alloc) {
    const many = run.states[0]!.words.length - alloc > 1;
    return { field: 'allocator', at: many ? `[${word - alloc}]` : '' };
  }
  const offset = word % L.wordsPerSlot;
  const field =
    offset === L.refCount
      ? 'ref_count'
      : offset === L.vtable
        ? 'vtable_ptr'
        : offset === L.inList
          ? 'in_list'
          : `word${offset}`;
  return { field, at: run.world.inst.frames > 1 ? `[${Math.floor(word / L.wordsPerSlot)}]` : '' };
}

/** The timeline as text: a marked row ends with its mark. */
export function timelineText(run: Run, threads: number): string[] {
  const rows = timelineRows(run);
  const w = Math.max(34, ...rows.map((r) => cell(r, r.thread < 0 ? 0 : r.thread).length + 1));
  const head = [
    'step'.padEnd(5),
    ...Array.from({ length: threads }, (_, t) => `T${t}`.padEnd(w)),
    ...Array.from({ length: run.world.inst.frames }, (_, f) => `slot ${f}`),
  ].join(' ');
  const lines = [head];
  for (const r of rows) {
    const cols = Array.from({ length: threads }, (_, t) => cell(r, t).padEnd(w));
    const slots = r.slots.map((s) => (s.changed ? `${s.before} → ${s.after}` : s.after));
    const line = [String(r.step).padEnd(5), ...cols, ...slots].join(' ');
    lines.push(r.mark === undefined ? line : `${line}  ${r.mark}`);
  }
  return lines;
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** The timeline as a self-contained HTML page: the same rows and marks as the text. */
export function timelineHtml(run: Run, threads: number, title: string, message: string): string {
  const rows = timelineRows(run);
  const F = run.world.inst.frames;
  const th = [
    ...Array.from({ length: threads }, (_, t) => `<th>T${t}</th>`),
    ...Array.from({ length: F }, (_, f) => `<th>slot ${f}</th>`),
    '<th>note</th>',
  ].join('');
  const body = rows
    .map((r) => {
      const cells = Array.from({ length: threads }, (_, t) => {
        const text = cell(r, t);
        return `<td class="${text !== '' ? 'act' : ''}">${esc(text)}</td>`;
      });
      const slots = r.slots.map(
        (s) =>
          `<td class="${s.changed ? 'chg' : ''}" data-before="${esc(s.before)}">${esc(s.changed ? `${s.before} → ${s.after}` : s.after)}</td>`,
      );
      const note = `<td class="${r.mark === undefined ? '' : 'mark'}">${esc(r.mark ?? '')}</td>`;
      const cls = r.mark === undefined ? '' : ' class="marked"';
      return `<tr data-step="${r.step}"${cls}><td>${r.step}</td>${cells.join('')}${slots.join('')}${note}</tr>`;
    })
    .join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(title)}</title><style>
body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}
td.act{background:#eef4ff}td.chg{background:#fff3cd;font-weight:600}td.mark{color:#a00;font-weight:600}tr.marked{outline:2px solid #a00}
h1{font-size:18px}p.msg{color:#a00}</style></head><body>
<h1 id="property">${esc(title)}</h1><p class="msg" id="message">${esc(message)}</p>
<table id="timeline"><thead><tr><th>step</th>${th}</tr></thead><tbody>
${body}
</tbody></table></body></html>`;
}
