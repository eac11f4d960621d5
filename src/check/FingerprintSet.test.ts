/**
 * The fingerprint table against a plain `Set` of the same keys, across many growths (chunk by chunk
 * rehashing), with and without stored indices, including the fingerprint (0, 0) that no slot holds.
 */
import { describe, expect, it } from 'vitest';
import { FingerprintSet } from './FingerprintSet.ts';
import { ChunkedInt32, OutOfMemory } from './chunks.ts';

/** A deterministic stream of 32-bit words (xorshift), with many repeats drawn from a small range. */
function* keys(n: number, seed: number): Generator<[number, number]> {
  let x = seed;
  const next = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
  for (let k = 0; k < n; k++) {
    const r = next();
    // A third of the keys come from a small pool (repeats), some have a zero half.
    if (r % 3 === 0) yield [r % 97, (r >>> 8) % 5];
    else yield [next(), r % 7 === 0 ? 0 : next()];
  }
}

describe('FingerprintSet', () => {
  it.each([true, false])('stores what a Set stores, through growth (indices kept: %s)', (withIds) => {
    const fs = new FingerprintSet(4, withIds);
    const ref = new Map<string, number>();
    const wrong: string[] = [];
    for (const [hi, lo] of [[0, 0] as [number, number], ...keys(800_000, 0x2545f491)]) {
      const k = `${hi},${lo}`;
      const r = fs.insert(hi, lo);
      const known = ref.get(k);
      if (known === undefined) ref.set(k, ref.size);
      if (r !== (known === undefined ? ref.size - 1 : withIds ? ~known : -1)) wrong.push(`insert ${k}: ${r}`);
    }
    expect(wrong).toEqual([]);
    expect(fs.size).toBe(ref.size);
    // Past one chunk of slots (2^19): the table spans several.
    expect(fs.bytes).toBeGreaterThan((withIds ? 12 : 8) * 2 ** 19);
    let absent = 0;
    for (const [hi, lo] of keys(200_000, 12345)) {
      const k = `${hi},${lo}`;
      if (fs.has(hi, lo) !== ref.has(k)) wrong.push(`has ${k}`);
      if (!ref.has(k)) absent++;
    }
    expect(wrong).toEqual([]);
    expect(absent).toBeGreaterThan(100_000);
    expect(fs.add(0, 0)).toEqual({ id: withIds ? 0 : -1, isNew: false });
    expect(fs.add(1, 1).isNew).toBe(!ref.has('1,1'));
  });

  it('asks its budget before it grows; refused, it fills to 7/8 of its slots, then stops', () => {
    const fs = new FingerprintSet(4);
    const asked: number[] = [];
    fs.budget = (bytes) => {
      asked.push(bytes);
      return bytes <= 4096;
    };
    let stop: unknown;
    try {
      for (let k = 1; k < 10_000; k++) fs.insert(k, k * 7);
    } catch (e) {
      stop = e;
    }
    expect(stop instanceof OutOfMemory && stop.budget).toBe(true);
    // 16 slots of 12 bytes, doubled while 2x fits in 4096 bytes; then 256 slots filled to 224.
    expect(asked).toEqual([384, 768, 1536, 3072, 6144]);
    expect(fs.size).toBe(224);
    expect(fs.bytes).toBe(3072);
    let missing = 0;
    for (let k = 1; k <= fs.size; k++) if (!fs.has(k, k * 7)) missing++;
    expect(missing).toBe(0);
    expect(fs.has(fs.size + 1, (fs.size + 1) * 7)).toBe(false);
  });
});

describe('ChunkedInt32', () => {
  it('reads back what was written across chunks, 0 elsewhere', () => {
    const a = new ChunkedInt32();
    for (let i = 0; i < 3_000_000; i += 7) a.set(i, i ^ 0x5555);
    let bad = 0;
    for (let i = 0; i < 3_000_000; i += 1) if (a.get(i) !== (i % 7 === 0 ? i ^ 0x5555 : 0)) bad++;
    expect(bad).toBe(0);
    expect(a.get(5_000_000)).toBe(0);
    expect(a.bytes).toBe(3 * 4 * 2 ** 20);
  });
});
