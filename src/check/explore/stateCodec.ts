/**
 * A portable text form of an explorer state, for states that cross threads or processes: the search's
 * interned ids mean nothing outside the store that made them, so a state travels as its words and
 * each thread's local state, written out. One string per state (strings cross a `MessagePort` cheaply).
 */
import { mkThread, type State, type ThreadState } from '../model.ts';
import type { Access } from '../ReplayMemory.ts';
import { OP_NAMES } from '../instance.ts';

const KINDS: readonly Access['kind'][] = ['load', 'store', 'cas', 'add', 'sub', 'read', 'write'];

const big = (v: bigint | undefined): string => (v === undefined ? '_' : v.toString(36));
const unbig = (s: string): bigint | undefined => (s === '_' ? undefined : parseBig36(s));

function parseBig36(s: string): bigint {
  let v = 0n;
  for (const c of s) v = v * 36n + BigInt(Number.parseInt(c, 36));
  return v;
}

function encodeAccess(a: Access): string {
  return `${KINDS.indexOf(a.kind)}${a.atomic ? 1 : 0}${a.word}:${big(a.observed)}:${big(a.written)}:${big(a.before)}`;
}

function decodeAccess(s: string): Access {
  const [head, observed, written, before] = s.split(':') as [string, string, string, string];
  return {
    kind: KINDS[Number(head[0])]!,
    atomic: head[1] === '1',
    word: Number(head.slice(2)),
    observed: unbig(observed),
    written: unbig(written),
    before: unbig(before)!,
  };
}

/** A thread's local state as text (no `|` or `;` in it). */
export function encodeThread(th: ThreadState): string {
  const op = th.op === undefined ? '' : String(OP_NAMES.indexOf(th.op));
  return `${th.pc},${op},${th.frame},${th.shared.join('.')},${th.unique.join('.')},${th.log.map(encodeAccess).join('/')}`;
}

/** The thread state `encodeThread` wrote. */
export function decodeThread(s: string): ThreadState {
  const [pc, op, frame, shared, unique, log] = s.split(',') as [string, string, string, string, string, string];
  return mkThread(
    Number(pc),
    op === '' ? undefined : OP_NAMES[Number(op)],
    Number(frame),
    log === '' ? [] : log.split('/').map(decodeAccess),
    shared.split('.').map(Number),
    unique.split('.').map(Number),
  );
}

/** Memory words as text. */
export const encodeWords = (words: readonly bigint[]): string => words.map(big).join(',');
/** The words `encodeWords` wrote. */
export const decodeWords = (text: string): bigint[] => text.split(',').map((w) => unbig(w)!);

/** A state's text from its parts' texts: halted and streak, words, threads. */
export function stateText(halted: boolean, streak: State['streak'], words: string, threads: readonly string[]): string {
  return `${halted ? 1 : 0} ${streak.t} ${streak.accesses}|${words}|${threads.join(';')}`;
}

/** A state's text cut into its parts' texts. */
export function stateParts(text: string): {
  halted: boolean;
  streak: State['streak'];
  words: string;
  threads: string[];
} {
  const [head, words, threads] = text.split('|') as [string, string, string];
  const [halted, t, accesses] = head.split(' ').map(Number) as [number, number, number];
  return { halted: halted === 1, streak: { t, accesses }, words, threads: threads.split(';') };
}

/** The text form of `s` (its streak included: it is path information the livelock check needs). */
export function encodeState(s: State): string {
  return stateText(s.halted, s.streak, encodeWords(s.words), s.threads.map(encodeThread));
}

/** The state `encodeState` wrote. */
export function decodeState(text: string): State {
  const p = stateParts(text);
  return { words: decodeWords(p.words), threads: p.threads.map(decodeThread), halted: p.halted, streak: p.streak };
}
