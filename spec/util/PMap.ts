/**
 * A persistent map from non-negative integer keys (below 2^35) to values, with a default value for
 * every key never set.
 *
 * It is a bitmap-compressed 32-way trie of fixed depth (a hash array mapped trie on the key's own
 * digits): `set` copies one path of at most 7 nodes, each only as wide as its present children, so a
 * successor state shares every untouched entry with its predecessor, and `diff` skips shared subtrees
 * by identity. That is what makes vostd's "every other slot owner is unchanged" an O(changes) check
 * over a 2^34 index domain.
 */
const BITS = 5;
const WIDTH = 1 << BITS;
const DEPTH = 7;
export const PMAP_KEY_LIMIT = WIDTH ** DEPTH;
const TOP_DIV = WIDTH ** (DEPTH - 1);

/** A trie node: a 32-bit presence bitmap and the present children, densely. */
type Node = Readonly<{ bitmap: number; children: readonly unknown[] }>;

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

function childAt(node: Node, digit: number): unknown {
  const bit = 1 << digit;
  if ((node.bitmap & bit) === 0) return undefined;
  return node.children[popcount(node.bitmap & (bit - 1))];
}

const digitOf = (key: number, div: number) => Math.floor(key / div) % WIDTH;

export class PMap<V> {
  readonly defaultValue: V;
  readonly size: number;
  private readonly root: Node | undefined;

  private constructor(defaultValue: V, root: Node | undefined, size: number) {
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
    const leaf = this.lookup(key);
    return leaf === undefined ? this.defaultValue : (leaf as V);
  }

  /** Whether `key` has an explicit entry (one that `set` wrote with a value other than `undefined`). */
  has(key: number): boolean {
    return this.lookup(key) !== undefined;
  }

  /** A map equal to this one except that `key` holds `value` (`undefined` removes the entry). */
  set(key: number, value: V | undefined): PMap<V> {
    if (!(key >= 0 && key < PMAP_KEY_LIMIT && Number.isInteger(key))) {
      // Keys are frame indices validated at the API edge; anything else is a model bug.
      throw new RangeError(`PMap key out of range: ${key}`);
    }
    const had = this.lookup(key);
    if (had === value) return this;
    const root = setIn(this.root, key, value, 0, TOP_DIV);
    const delta = (value === undefined ? 0 : 1) - (had === undefined ? 0 : 1);
    return new PMap(this.defaultValue, root, this.size + delta);
  }

  /** Calls `visit(key, a, b)` for every key whose values differ by identity, skipping shared subtrees. */
  static diff<V>(a: PMap<V>, b: PMap<V>, visit: (key: number, av: V, bv: V) => void): void {
    diffIn(a.root, b.root, 0, 0, TOP_DIV, (k, x, y) =>
      visit(k, x === undefined ? a.defaultValue : (x as V), y === undefined ? b.defaultValue : (y as V)),
    );
  }

  /** Every explicit entry, in key order. */
  *entries(): IterableIterator<[number, V]> {
    yield* entriesIn(this.root, 0, 0, TOP_DIV) as IterableIterator<[number, V]>;
  }

  private lookup(key: number): unknown {
    let node: unknown = this.root;
    let div = TOP_DIV;
    for (let level = 0; level < DEPTH; level++) {
      if (node === undefined) return undefined;
      node = childAt(node as Node, digitOf(key, div));
      div /= WIDTH;
    }
    return node;
  }
}

function setIn(node: Node | undefined, key: number, value: unknown, level: number, div: number): Node | undefined {
  const digit = digitOf(key, div);
  const bit = 1 << digit;
  const bitmap = node?.bitmap ?? 0;
  const at = popcount(bitmap & (bit - 1));
  const present = (bitmap & bit) !== 0;
  const child =
    level === DEPTH - 1
      ? value
      : setIn(present ? (node!.children[at] as Node) : undefined, key, value, level + 1, div / WIDTH);
  const children = node === undefined ? [] : node.children.slice();
  if (child === undefined) {
    if (!present) return node;
    children.splice(at, 1);
    const rest = bitmap & ~bit;
    return rest === 0 ? undefined : Object.freeze({ bitmap: rest, children });
  }
  if (present) children[at] = child;
  else children.splice(at, 0, child);
  return Object.freeze({ bitmap: bitmap | bit, children });
}

function diffIn(
  a: unknown,
  b: unknown,
  level: number,
  base: number,
  div: number,
  visit: (key: number, x: unknown, y: unknown) => void,
): void {
  if (a === b) return;
  if (level === DEPTH) return visit(base, a, b);
  const na = a as Node | undefined;
  const nb = b as Node | undefined;
  const bits = (na?.bitmap ?? 0) | (nb?.bitmap ?? 0);
  for (let digit = 0; digit < WIDTH; digit++) {
    if ((bits & (1 << digit)) === 0) continue;
    const x = na === undefined ? undefined : childAt(na, digit);
    const y = nb === undefined ? undefined : childAt(nb, digit);
    if (x !== y) diffIn(x, y, level + 1, base + digit * div, div / WIDTH, visit);
  }
}

function* entriesIn(node: unknown, level: number, base: number, div: number): Generator<[number, unknown]> {
  if (node === undefined) return;
  if (level === DEPTH) {
    yield [base, node];
    return;
  }
  const n = node as Node;
  for (let digit = 0; digit < WIDTH; digit++) {
    if ((n.bitmap & (1 << digit)) === 0) continue;
    yield* entriesIn(childAt(n, digit), level + 1, base + digit * div, div / WIDTH);
  }
}
