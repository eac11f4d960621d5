/**
 * A counterexample as a timeline: one column per thread, one row per step, with each slot's count
 * and metadata before and after the step. As text for the terminal, and as a self-contained HTML page.
 */
import type { Run } from './explore/search.ts';
import type { Access } from './ReplayMemory.ts';
import { describeLabel } from './trace.ts';

export type Row = Readonly<{
  step: number;
  thread: number;
  action: string;
  slots: readonly { before: string; after: string; changed: boolean }[];
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
  // A step that crashed has no state after it: its row is the finding, not a timeline row.
  return run.labels.slice(0, run.states.length - 1).map((l, k) => {
    const before = run.states[k]!.words;
    const after = run.states[k + 1]!.words;
    const slots = Array.from({ length: F }, (_, f) => ({
      before: slot(before, f),
      after: slot(after, f),
      changed: slot(before, f) !== slot(after, f),
    }));
    return { step: k + 1, thread: l.t, action: actionOf(run, k), slots };
  });
}

/** The label of step `k`, with the atomic accesses it made and the values they read. */
function actionOf(run: Run, k: number): string {
  const l = run.labels[k]!;
  const r = run.results[k];
  const head = describeLabel(l, undefined);
  const accesses = stepAccesses(run, k).map((a) => showAccess(run, a));
  return `${head}${accesses.length > 0 ? `: ${accesses.join(', ')}` : ''}${describeLabel(l, r).slice(head.length)}`;
}

/** The accesses thread `t` made in step `k`: its log after the step (or the finished op's) past its log before. */
function stepAccesses(run: Run, k: number): readonly Access[] {
  const t = run.labels[k]!.t;
  const r = run.results[k];
  const before = run.states[k]!.threads[t]?.log.length ?? 0;
  const log = r?.completed?.log ?? r?.abort?.log ?? run.states[k + 1]?.threads[t]?.log ?? [];
  return log.slice(before).filter((a) => a.atomic);
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
  const L = run.world.region.layout;
  const offset = a.word % L.wordsPerSlot;
  const field =
    offset === L.refCount
      ? 'ref_count'
      : offset === L.vtable
        ? 'vtable_ptr'
        : offset === L.inList
          ? 'in_list'
          : `word${offset}`;
  const at = run.world.inst.frames > 1 ? `[${Math.floor(a.word / L.wordsPerSlot)}]` : '';
  const show = field === 'ref_count' ? showCount : (v: bigint) => v.toString();
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

/** The timeline as text. */
export function timelineText(run: Run, threads: number): string[] {
  const rows = timelineRows(run);
  const w = Math.max(34, ...rows.map((r) => r.action.replace(/^T\d+ /, '').length + 1));
  const head = [
    'step'.padEnd(5),
    ...Array.from({ length: threads }, (_, t) => `T${t}`.padEnd(w)),
    ...Array.from({ length: run.world.inst.frames }, (_, f) => `slot ${f}`),
  ].join(' ');
  const lines = [head];
  for (const r of rows) {
    const cols = Array.from({ length: threads }, (_, t) =>
      (t === r.thread ? r.action.replace(/^T\d+ /, '') : '').padEnd(w),
    );
    const slots = r.slots.map((s) => (s.changed ? `${s.before} → ${s.after}` : s.after));
    lines.push([String(r.step).padEnd(5), ...cols, ...slots].join(' '));
  }
  return lines;
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** The timeline as a self-contained HTML page. */
export function timelineHtml(run: Run, threads: number, title: string, message: string): string {
  const rows = timelineRows(run);
  const F = run.world.inst.frames;
  const th = [
    ...Array.from({ length: threads }, (_, t) => `<th>T${t}</th>`),
    ...Array.from({ length: F }, (_, f) => `<th>slot ${f}</th>`),
  ].join('');
  const body = rows
    .map((r) => {
      const cells = Array.from(
        { length: threads },
        (_, t) =>
          `<td class="${t === r.thread ? 'act' : ''}">${t === r.thread ? esc(r.action.replace(/^T\d+ /, '')) : ''}</td>`,
      );
      const slots = r.slots.map(
        (s) =>
          `<td class="${s.changed ? 'chg' : ''}" data-before="${esc(s.before)}">${esc(s.changed ? `${s.before} → ${s.after}` : s.after)}</td>`,
      );
      return `<tr data-step="${r.step}"><td>${r.step}</td>${cells.join('')}${slots.join('')}</tr>`;
    })
    .join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(title)}</title><style>
body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}
td.act{background:#eef4ff}td.chg{background:#fff3cd;font-weight:600}h1{font-size:18px}p.msg{color:#a00}</style></head><body>
<h1 id="property">${esc(title)}</h1><p class="msg" id="message">${esc(message)}</p>
<table id="timeline"><thead><tr><th>step</th>${th}</tr></thead><tbody>
${body}
</tbody></table></body></html>`;
}
