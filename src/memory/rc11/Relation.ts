/**
 * A binary relation over events `0..n-1` as a bit matrix: one row of 32-bit words per event. The RC11
 * axioms are compositions, unions and transitive closures of a handful of such relations over graphs of
 * a few dozen events, where bit rows beat pair sets by a wide margin.
 */
export class Relation {
  readonly n: number;
  private readonly words: number;
  private readonly bits: Uint32Array;

  constructor(n: number) {
    this.n = n;
    this.words = (n + 31) >>> 5;
    this.bits = new Uint32Array(n * this.words);
  }

  add(a: number, b: number): void {
    this.bits[a * this.words + (b >>> 5)]! |= 1 << (b & 31);
  }

  has(a: number, b: number): boolean {
    return (this.bits[a * this.words + (b >>> 5)]! & (1 << (b & 31))) !== 0;
  }

  /** Every pair, as `[a, b]`. */
  pairs(): [number, number][] {
    const out: [number, number][] = [];
    for (let a = 0; a < this.n; a++) for (let b = 0; b < this.n; b++) if (this.has(a, b)) out.push([a, b]);
    return out;
  }

  copy(): Relation {
    const r = new Relation(this.n);
    r.bits.set(this.bits);
    return r;
  }

  union(...others: readonly Relation[]): Relation {
    const r = this.copy();
    for (const o of others) for (let i = 0; i < r.bits.length; i++) r.bits[i]! |= o.bits[i]!;
    return r;
  }

  minus(o: Relation): Relation {
    const r = this.copy();
    for (let i = 0; i < r.bits.length; i++) r.bits[i]! &= ~o.bits[i]!;
    return r;
  }

  intersect(o: Relation): Relation {
    const r = this.copy();
    for (let i = 0; i < r.bits.length; i++) r.bits[i]! &= o.bits[i]!;
    return r;
  }

  inverse(): Relation {
    const r = new Relation(this.n);
    for (let a = 0; a < this.n; a++) for (let b = 0; b < this.n; b++) if (this.has(a, b)) r.add(b, a);
    return r;
  }

  /** `this ; o`: a pair (a, c) for every b with (a, b) in this and (b, c) in o. */
  then(o: Relation): Relation {
    const r = new Relation(this.n);
    const w = this.words;
    for (let a = 0; a < this.n; a++)
      for (let b = 0; b < this.n; b++)
        if (this.has(a, b)) for (let k = 0; k < w; k++) r.bits[a * w + k]! |= o.bits[b * w + k]!;
    return r;
  }

  /** `[S] ; this`: the pairs whose source is in `s`. */
  from(s: (e: number) => boolean): Relation {
    const r = new Relation(this.n);
    for (let a = 0; a < this.n; a++)
      if (s(a)) r.bits.set(this.bits.subarray(a * this.words, (a + 1) * this.words), a * this.words);
    return r;
  }

  /** `this ; [S]`: the pairs whose target is in `s`. */
  to(s: (e: number) => boolean): Relation {
    const r = this.copy();
    const mask = new Uint32Array(this.words);
    for (let b = 0; b < this.n; b++) if (s(b)) mask[b >>> 5]! |= 1 << (b & 31);
    for (let i = 0; i < r.bits.length; i++) r.bits[i]! &= mask[i % this.words]!;
    return r;
  }

  /** `this?`: the relation with the identity added. */
  reflexive(): Relation {
    const r = this.copy();
    for (let a = 0; a < this.n; a++) r.add(a, a);
    return r;
  }

  /** `this+`, by Warshall's algorithm on bit rows. */
  closure(): Relation {
    const r = this.copy();
    const w = this.words;
    for (let k = 0; k < this.n; k++)
      for (let a = 0; a < this.n; a++)
        if (r.has(a, k)) for (let j = 0; j < w; j++) r.bits[a * w + j]! |= r.bits[k * w + j]!;
    return r;
  }

  /** An event related to itself, or -1. */
  reflexivePoint(): number {
    for (let a = 0; a < this.n; a++) if (this.has(a, a)) return a;
    return -1;
  }

  isIrreflexive(): boolean {
    return this.reflexivePoint() < 0;
  }

  isAcyclic(): boolean {
    return this.closure().isIrreflexive();
  }

  isEmpty(): boolean {
    return this.bits.every((x) => x === 0);
  }

  /** The identity on the events of `s`, `[S]`. */
  static identity(n: number, s: (e: number) => boolean): Relation {
    const r = new Relation(n);
    for (let a = 0; a < n; a++) if (s(a)) r.add(a, a);
    return r;
  }

  /** Every pair of distinct members of one class, `class(e)` naming each event's class (`undefined`: none). */
  static sameClass(n: number, cls: (e: number) => string | number | undefined): Relation {
    const r = new Relation(n);
    const groups = new Map<string | number, number[]>();
    for (let e = 0; e < n; e++) {
      const c = cls(e);
      if (c === undefined) continue;
      const g = groups.get(c);
      if (g === undefined) groups.set(c, [e]);
      else g.push(e);
    }
    for (const g of groups.values()) for (const a of g) for (const b of g) r.add(a, b);
    return r;
  }

  /** Every pair `(a, b)` for which `p` holds. */
  static where(n: number, p: (a: number, b: number) => boolean): Relation {
    const r = new Relation(n);
    for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) if (p(a, b)) r.add(a, b);
    return r;
  }
}
