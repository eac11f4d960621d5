/**
 * The shared-memory layout of a `BuddyAllocator`: one `SharedArrayBuffer` that every worker maps.
 *
 * ```
 * bytes 0..8          Float64  basePaddr
 * words 2..8          Int32    lock, nframes, maxOrder, added frames, free frames
 * words 8..8+MAX+1    Int32    head of the free list of each order (NIL when empty)
 * HEADER_BYTES..      Int32    next[nframes], prev[nframes]: intrusive doubly-linked free lists
 *                     Uint8    state[nframes]: ADDED | FREE | HEAD | order
 * ```
 * Frames are indexed from `basePaddr`. Footprint: 9 bytes per frame plus a 256-byte header.
 */
import { PAGE_SIZE } from './vocab.ts';

/** The largest supported `maxOrder`: block sizes must stay int32 frame counts. */
export const MAX_ORDER_LIMIT = 30;
/** The largest frame count: frame indices are int32. */
export const MAX_FRAMES = 2 ** 31 - 1;
/** The list terminator in `next`, `prev` and the list heads. */
export const NIL = -1;

/** `state` bit: the frame was added to the allocator (through `addFreeMemory`). */
export const ADDED = 0x80;
/** `state` bit: the frame lies in a free block. */
export const FREE = 0x40;
/** `state` bit: the frame is the first of a free block on the list of order `state & ORDER_MASK`. */
export const HEAD = 0x20;
/** `state` bits: the order of the free block a `HEAD` frame starts. */
export const ORDER_MASK = 0x1f;

/** Indices into `words`. */
export const W = { lock: 2, nframes: 3, maxOrder: 4, added: 5, free: 6, heads: 8 } as const;
const HEADER_BYTES = 256;

/** What a worker needs to map an allocator: post it with `postMessage`; the buffer is shared, not copied. */
export type BuddySharedState = Readonly<{ buffer: SharedArrayBuffer }>;

/** Typed-array views over one allocator's buffer. */
export type BuddyViews = Readonly<{
  words: Int32Array<SharedArrayBuffer>;
  basePaddr: number;
  /** `basePaddr / PAGE_SIZE`: block alignment is decided on absolute frame numbers. */
  baseFrame: number;
  nframes: number;
  maxOrder: number;
  next: Int32Array<SharedArrayBuffer>;
  prev: Int32Array<SharedArrayBuffer>;
  state: Uint8Array<SharedArrayBuffer>;
}>;

/** A zeroed buffer for `nframes` frames from `basePaddr`, every list empty: nothing is added yet. */
export function createBuddyBuffer(basePaddr: number, nframes: number, maxOrder: number): SharedArrayBuffer {
  const buffer = new SharedArrayBuffer(HEADER_BYTES + 9 * nframes);
  new Float64Array(buffer, 0, 1)[0] = basePaddr;
  const words = new Int32Array(buffer, 0, HEADER_BYTES / 4);
  words[W.nframes] = nframes;
  words[W.maxOrder] = maxOrder;
  words.fill(NIL, W.heads, W.heads + maxOrder + 1);
  return buffer;
}

/** The views over a buffer made by `createBuddyBuffer`. */
export function viewsOf(buffer: SharedArrayBuffer): BuddyViews {
  const words = new Int32Array(buffer, 0, HEADER_BYTES / 4);
  const nframes = words[W.nframes] ?? 0;
  const basePaddr = new Float64Array(buffer, 0, 1)[0] ?? 0;
  return {
    words,
    basePaddr,
    baseFrame: basePaddr / PAGE_SIZE,
    nframes,
    maxOrder: words[W.maxOrder] ?? 0,
    next: new Int32Array(buffer, HEADER_BYTES, nframes),
    prev: new Int32Array(buffer, HEADER_BYTES + 4 * nframes, nframes),
    state: new Uint8Array(buffer, HEADER_BYTES + 8 * nframes, nframes),
  };
}
