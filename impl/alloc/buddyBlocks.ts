/**
 * The buddy system's block operations over the shared views: free lists, split, merge, and the
 * decomposition of a frame range into aligned power-of-two blocks.
 *
 * A block of order k is 2^k frames whose first absolute frame number (`baseFrame + index`) is a
 * multiple of 2^k; its buddy is the other half of the order-(k+1) block containing it, the frame
 * number XOR 2^k. JavaScript's bit operators are 32-bit, so the XOR is written as `± 2^k`.
 *
 * Every function here runs with the allocator's lock held.
 *
 * @see DragonOS `BuddyAllocator` (kernel/src/mm/allocator/buddy.rs): `buddy_alloc`, `buddy_free`
 */
import { ADDED, FREE, HEAD, NIL, ORDER_MASK, W } from './buddyLayout.ts';
import type { BuddyViews } from './buddyLayout.ts';

/** Whether the block of order `k` may start at frame index `i`. */
export function isAligned(v: BuddyViews, i: number, k: number): boolean {
  return (v.baseFrame + i) % 2 ** k === 0;
}

/** The index of the buddy of the order-`k` block at `i`. */
export function buddyOf(v: BuddyViews, i: number, k: number): number {
  return isAligned(v, i, k + 1) ? i + 2 ** k : i - 2 ** k;
}

/** The head of the free list of order `k`, or `NIL`. */
export function headOf(v: BuddyViews, k: number): number {
  return v.words[W.heads + k] ?? NIL;
}

/** Puts the free block of order `k` at `i` at the front of its list and marks its first frame. */
export function pushFree(v: BuddyViews, i: number, k: number): void {
  const head = headOf(v, k);
  v.next[i] = head;
  v.prev[i] = NIL;
  if (head !== NIL) v.prev[head] = i;
  v.words[W.heads + k] = i;
  v.state[i] = ADDED | FREE | HEAD | k;
}

/** Takes the block of order `k` at `i` off its list; its frames stay marked free. */
export function unlink(v: BuddyViews, i: number, k: number): void {
  const next = v.next[i] ?? NIL;
  const prev = v.prev[i] ?? NIL;
  if (prev === NIL) v.words[W.heads + k] = next;
  else v.next[prev] = next;
  if (next !== NIL) v.prev[next] = prev;
  v.state[i] = ADDED | FREE;
}

/** Whether a free block of exactly order `k` starts at `i`. */
export function isFreeHead(v: BuddyViews, i: number, k: number): boolean {
  return i >= 0 && i < v.nframes && v.state[i] === (ADDED | FREE | HEAD | k);
}

/** The order of the free block starting at `i`, if one does. */
export function freeOrderAt(v: BuddyViews, i: number): number | undefined {
  const s = v.state[i] ?? 0;
  return s & HEAD ? s & ORDER_MASK : undefined;
}

/**
 * Takes a free block of order at least `need`, splits it down to order `k` (≤ `need`) keeping the
 * lowest part, returns the split-off halves to their lists and marks the kept block allocated.
 * The kept block is aligned to the order it was taken at. `undefined` when no list has a block.
 */
export function allocBlock(v: BuddyViews, k: number, need: number): number | undefined {
  let m = need;
  while (m <= v.maxOrder && headOf(v, m) === NIL) m++;
  if (m > v.maxOrder) return undefined;
  const i = headOf(v, m);
  unlink(v, i, m);
  for (let o = m - 1; o >= k; o--) pushFree(v, i + 2 ** o, o);
  v.state.fill(ADDED, i, i + 2 ** k);
  v.words[W.free] = (v.words[W.free] ?? 0) - 2 ** k;
  return i;
}

/** Frees the allocated (or newly added) block of order `k` at `i`, merging it with free buddies. */
export function freeBlock(v: BuddyViews, i: number, k: number): void {
  v.state.fill(ADDED | FREE, i, i + 2 ** k);
  v.words[W.free] = (v.words[W.free] ?? 0) + 2 ** k;
  let at = i;
  let order = k;
  while (order < v.maxOrder) {
    const b = buddyOf(v, at, order);
    if (b + 2 ** order > v.nframes || !isFreeHead(v, b, order)) break;
    unlink(v, b, order);
    at = Math.min(at, b);
    order++;
  }
  pushFree(v, at, order);
}

/** Calls `f` on each maximal aligned block of `count` frames from `i`, lowest first. */
export function forEachBlock(v: BuddyViews, i: number, count: number, f: (i: number, k: number) => void): void {
  let at = i;
  let left = count;
  while (left > 0) {
    let k = 0;
    while (k < v.maxOrder && 2 ** (k + 1) <= left && isAligned(v, at, k + 1)) k++;
    f(at, k);
    at += 2 ** k;
    left -= 2 ** k;
  }
}

/** The bitwise OR (`any`) and AND (`all`) of the states of frames `i..end`: what the range holds. */
export function summarize(v: BuddyViews, i: number, end: number): Readonly<{ any: number; all: number }> {
  let any = 0;
  let all = 0xff;
  for (let j = i; j < end; j++) {
    const s = v.state[j] ?? 0;
    any |= s;
    all &= s;
  }
  return { any, all };
}
