/**
 * The representation invariant of a buddy allocator's shared state, checked frame by frame.
 *
 * 1. Each free list is a well-linked chain of blocks of its order, aligned and inside the frames.
 * 2. Free blocks are disjoint, every frame in one is marked `ADDED | FREE`, and every frame marked
 *    `FREE` or `HEAD` lies in (or starts) a listed block.
 * 3. No two free buddies of the same order coexist: merging is complete.
 * 4. The `added` and `free` counters equal the frames marked `ADDED` and the listed frames.
 *
 * Runs in O(frames); call it with the allocator's lock held (`BuddyAllocator.audit`).
 */
import { ADDED, FREE, HEAD, NIL, W } from './buddyLayout.ts';
import type { BuddyViews } from './buddyLayout.ts';
import { buddyOf, headOf, isAligned, isFreeHead } from './buddyBlocks.ts';

/** Every violated invariant, as a sentence; empty when the state is well formed. */
export function auditBuddy(v: BuddyViews): string[] {
  const problems: string[] = [];
  const covered = new Uint8Array(v.nframes);
  let listed = 0;
  for (let k = 0; k <= v.maxOrder; k++) listed += auditList(v, k, covered, problems);
  auditFrames(v, covered, problems);
  auditCounters(v, listed, problems);
  return problems;
}

function auditList(v: BuddyViews, k: number, covered: Uint8Array, problems: string[]): number {
  let frames = 0;
  let prev = NIL;
  for (let i = headOf(v, k), steps = 0; i !== NIL; prev = i, i = v.next[i] ?? NIL, steps++) {
    if (steps > v.nframes || i < 0 || i + 2 ** k > v.nframes) {
      problems.push(`list ${k}: broken at ${i}`);
      break;
    }
    if ((v.prev[i] ?? NIL) !== prev) problems.push(`list ${k}: prev of ${i} is not ${prev}`);
    auditBlock(v, i, k, covered, problems);
    frames += 2 ** k;
  }
  return frames;
}

function auditBlock(v: BuddyViews, i: number, k: number, covered: Uint8Array, problems: string[]): void {
  if (!isFreeHead(v, i, k)) problems.push(`block ${i}/${k}: head state is ${v.state[i]}`);
  if (!isAligned(v, i, k)) problems.push(`block ${i}/${k}: misaligned`);
  const b = buddyOf(v, i, k);
  if (k < v.maxOrder && b + 2 ** k <= v.nframes && isFreeHead(v, b, k)) problems.push(`block ${i}/${k}: unmerged`);
  for (let j = i; j < i + 2 ** k; j++) {
    if (covered[j] === 1) problems.push(`frame ${j}: in two free blocks`);
    covered[j] = 1;
    if (j > i && (v.state[j] ?? 0) !== (ADDED | FREE))
      problems.push(`frame ${j}: state ${v.state[j]} inside ${i}/${k}`);
  }
}

function auditFrames(v: BuddyViews, covered: Uint8Array, problems: string[]): void {
  for (let j = 0; j < v.nframes; j++) {
    const s = v.state[j] ?? 0;
    if (s & (FREE | HEAD) && covered[j] !== 1) problems.push(`frame ${j}: marked free (${s}) but on no list`);
    if (s & (FREE | HEAD) && !(s & ADDED)) problems.push(`frame ${j}: free but never added`);
  }
}

function auditCounters(v: BuddyViews, listed: number, problems: string[]): void {
  let added = 0;
  for (let j = 0; j < v.nframes; j++) if ((v.state[j] ?? 0) & ADDED) added++;
  if (added !== v.words[W.added]) problems.push(`added counter ${v.words[W.added]} != ${added} frames`);
  if (listed !== v.words[W.free]) problems.push(`free counter ${v.words[W.free]} != ${listed} listed frames`);
}
