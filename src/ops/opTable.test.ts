import { describe, expect, it } from 'vitest';
import { modelParams } from '../../spec/vocab.ts';
import { OP_SCHEMAS } from '../validate/historySchema.ts';
import { OP_NAMES, OP_TABLE, returned, type OpDef } from './opTable.ts';

const P = modelParams({ protocol: 'current', refCountMax: 3n });
const COUNTS = [P.refCountUnused, P.refCountUnique!, 0n, 1n, 2n, 3n];

/** The handles a count stands for: `rc` `Frame`s when shared, one `UniqueFrame` when unique. */
function handles(rc: bigint): { shared: number; unique: number } {
  if (rc === P.refCountUnique) return { shared: 0, unique: 1 };
  return { shared: rc >= 1n && rc <= P.refCountMax ? Number(rc) : 0, unique: 0 };
}

describe('the operation table', () => {
  it('moves handles exactly as its sequential meaning moves the count (rc == #handles)', () => {
    for (const op of OP_NAMES) {
      const d = OP_TABLE[op];
      for (const rc of COUNTS) {
        const out = d.seq(rc, P);
        if (out.kind !== 'return') continue;
        const before = handles(rc);
        const after = handles(out.rc);
        const delta = returned(op, out.result);
        const gave = (k: 'shared' | 'unique') => (d.releases === k ? -1 : 0);
        expect({ op, rc, shared: before.shared + gave('shared') + (delta.shared ?? 0) }).toEqual({
          op,
          rc,
          shared: after.shared,
        });
        expect({ op, rc, unique: before.unique + gave('unique') + (delta.unique ?? 0) }).toEqual({
          op,
          rc,
          unique: after.unique,
        });
      }
    }
  });

  it('writes histories validate reads back as the same result word', () => {
    for (const op of OP_NAMES) {
      const h = OP_TABLE[op].history;
      const schema = OP_SCHEMAS[h.f];
      expect(schema.args.safeParse(h.invoke('0x3000')).success).toBe(true);
      for (const rc of COUNTS) {
        const out = OP_TABLE[op].seq(rc, P);
        // the allocator hands out free frames only: its claim cannot fail
        if (out.kind !== 'return' || (OP_TABLE[op].target === 'allocator' && out.result !== 'ok')) continue;
        const value = h.ok(out.result, '0x3000');
        const parsed = ('err' in value ? schema.err : schema.ok)?.parse(value);
        expect({ op, result: parsed?.result }).toEqual({ op, result: out.result });
      }
    }
  });

  it('needs the handle it gives up, and counts every operation but the pure releases and the segment moves', () => {
    for (const op of OP_NAMES) {
      const d: OpDef = OP_TABLE[op];
      if (d.releases !== undefined) expect(d.needs).toBe(d.releases);
      // a segment over several frames gains nothing either: its frames were claimed within the depth
      const gainsNothing = Object.keys(d.onOk).length === 0 && (d.releases !== undefined || d.span !== undefined);
      expect({ op, counts: d.counts }).toEqual({ op, counts: !gainsNothing });
    }
  });

  it('gives a handle up at the count only in a release', () => {
    for (const op of OP_NAMES) {
      const d: OpDef = OP_TABLE[op];
      if (d.releasesAtCount === true) expect(d.releases).toBeDefined();
    }
    expect(OP_NAMES.filter((o) => (OP_TABLE[o] as OpDef).releasesAtCount === true)).toEqual(['list_drop']);
  });
});
