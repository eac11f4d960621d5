/**
 * A persistent map from non-negative integer keys (below 2^35) to values, with a default value for
 * every key never set.
 *
 * It is a 32-way trie of fixed depth: `set` copies one path of 7 small nodes, so a successor state
 * shares every untouched entry with its predecessor, and `diff` skips shared subtrees by identity.
 * That is what makes vostd's "every other slot owner is unchanged" an O(changes) check over a 2^34
 * index domain.
 */
const BITS = 5;
const WIDTH = 1 << BITS;
const DEPTH = 7;
export const PMAP_KEY_LIMIT = WIDTH ** DEPTH;

type Node<V> = ReadonlyArray<Node<V> | V | undefined>;

export class PMap<V> {
  readonly defaultValue: V;
  readonly size: number;
  private readonly root: Node<V> | undefined;

  private constructor(defaultValue: V, root: Node<V> | undefined, size: number) {
    this.defaultValue = defaultValue;
    this.root = root;
    this.size = size;
  }

  /** An empty map: every key reads as `defaultValue`. */
  static empty<V>(defaultValue: V): PMap<V> {
    return new PMap(defaultValue, undefined, 0);
  }

  /** The value at `key`, or the default when it was never set. */
  get(key: number): V {
    let node = this.root;
    let div = WIDTH ** (DEPTH - 1);
    for (let level = 0; level < DEPTH - 1; level++) {
      if (node === undefined) return this.defaultValue;
      node = node[Math.floor(key / div) % WIDTH] as Node<V> | undefined;
      div /= WIDTH;
    }
    if (node === undefined) return this.defaultValue;
    const v = node[key % WIDTH] as V | undefined;
    return v === undefined ? this.defaultValue : v;
  }

  /** Whether `key` has an explicit entry (one that `set` wrote). */
  has(key: number): boolean {
    let node = this.root;
    let div = WIDTH ** (DEPTH - 1);
    for (let level = 0; level < DEPTH; level++) {
      if (node === undefined) return false;
      const next = node[Math.floor(key / div) % WIDTH];
      if (level === DEPTH - 1) return next !== undefined;
      node = next as Node<V> | undefined;
      div /= WIDTH;
    }
    return false;
  }

  /** A map equal to this one except that `key` holds `value`. Returns `this` when nothing changes. */
  set(key: number, value: V): PMap<V> {
    if (!(key >= 0 && key < PMAP_KEY_LIMIT && Number.isInteger(key))) {
      // Keys are frame indices validated at the API edge; anything else is a model bug.
      throw new RangeError(`PMap key out of range: ${key}`);
    }
    const had = this.has(key);
    if (had && this.get(key) === value) return this;
    const root = setIn(this.root, key, value, 0, WIDTH ** (DEPTH - 1));
    return new PMap(this.defaultValue, root, had ? this.size : this.size + 1);
  }

  /** Calls `visit(key, a, b)` for every key whose values differ by identity, skipping shared subtrees. */
  static diff<V>(a: PMap<V>, b: PMap<V>, visit: (key: number, av: V, bv: V) => void): void {
    diffIn(a.root, b.root, 0, 0, WIDTH ** (DEPTH - 1), a.defaultValue, b.defaultValue, visit);
  }

  /** Every explicit entry, in key order. */
  *entries(): IterableIterator<[number, V]> {
    yield* entriesIn(this.root, 0, 0, WIDTH ** (DEPTH - 1));
  }
}

function setIn<V>(node: Node<V> | undefined, key: number, value: V, level: number, div: number): Node<V> {
  const copy: (Node<V> | V | undefined)[] = node === undefined ? new Array(WIDTH) : node.slice();
  const slot = Math.floor(key / div) % WIDTH;
  copy[slot] = level === DEPTH - 1 ? value : setIn(node?.[slot] as Node<V> | undefined, key, value, level + 1, div / WIDTH);
  return copy;
}

function diffIn<V>(
  a: Node<V> | undefined,
  b: Node<V> | undefined,
  level: number,
  base: number,
  div: number,
  da: V,
  db: V,
  visit: (key: number, av: V, bv: V) => void,
): void {
  if (a === b) return;
  for (let slot = 0; slot < WIDTH; slot++) {
    const x = a?.[slot];
    const y = b?.[slot];
    if (x === y) continue;
    const key = base + slot * div;
    if (level === DEPTH - 1) {
      const av = x === undefined ? da : (x as V);
      const bv = y === undefined ? db : (y as V);
      if (av !== bv) visit(key, av, bv);
    } else {
      diffIn(x as Node<V> | undefined, y as Node<V> | undefined, level + 1, key, div / WIDTH, da, db, visit);
    }
  }
}

function* entriesIn<V>(node: Node<V> | undefined, level: number, base: number, div: number): Generator<[number, V]> {
  if (node === undefined) return;
  for (let slot = 0; slot < WIDTH; slot++) {
    const x = node[slot];
    if (x === undefined) continue;
    const key = base + slot * div;
    if (level === DEPTH - 1) yield [key, x as V];
    else yield* entriesIn(x as Node<V>, level + 1, key, div / WIDTH);
  }
}
