/**
 * A `Map` that remembers the last key it answered for: a hot path that asks about the same key call
 * after call (one slot cloned and dropped over and over) compares one number instead of hashing it.
 * Reads and writes go to the map; the remembered entry follows every `set` and is forgotten by
 * `delete` and `clear`, so it always answers as the map does.
 */
export class LastKeyMap<V> {
  private readonly map = new Map<number, V>();
  private lastKey = NaN;
  private lastValue: V | undefined = undefined;

  /** `map.get(k)`. */
  get(k: number): V | undefined {
    if (k === this.lastKey) return this.lastValue;
    const v = this.map.get(k);
    if (v !== undefined) {
      this.lastKey = k;
      this.lastValue = v;
    }
    return v;
  }

  /** `map.has(k)`. */
  has(k: number): boolean {
    return k === this.lastKey || this.map.has(k);
  }

  /** `map.set(k, v)` (`v` defined). */
  set(k: number, v: V): void {
    this.map.set(k, v);
    this.lastKey = k;
    this.lastValue = v;
  }

  /** `map.delete(k)`. */
  delete(k: number): boolean {
    if (k === this.lastKey) this.forget();
    return this.map.delete(k);
  }

  /** `map.clear()`. */
  clear(): void {
    this.forget();
    this.map.clear();
  }

  get size(): number {
    return this.map.size;
  }

  /** The entries, in insertion order. */
  [Symbol.iterator](): IterableIterator<[number, V]> {
    return this.map.entries();
  }

  private forget(): void {
    this.lastKey = NaN;
    this.lastValue = undefined;
  }
}
