import { describe, expect, it } from 'vitest';
import { formatViolation, showAddr, type Violation } from './report.ts';

const owner = (count: string) => ({
  refCount: { id: 5, value: count },
  vtablePtr: { addr: 0xffffe000_00001040n },
  selfAddr: 0xffffe000_00001000n,
});
const base: Violation = {
  op: 'get_from_unused',
  rust: 'MetaSlot::get_from_unused',
  clause: 'get_from_unused.requires.regions_inv',
  kind: 'requires',
  verus: 'old(regions).inv()',
  blame: 'caller',
  detection: 'predicate_false',
  args: { paddr: 4096, asUnique: false },
  result: undefined,
  values: { 'slot.self_addr': 0x1000n, count: 2n },
  diff: { 'slot_owners[1]': { old: owner('1'), final: owner('1') } },
  call: 2,
};

describe('formatViolation', () => {
  it('a requires failure shows the old state only: a caller violation voids the call', () => {
    const lines = formatViolation(base).split('\n');
    expect(lines.filter((l) => l.includes('old:'))).toHaveLength(1);
    expect(lines.filter((l) => l.includes('final:'))).toEqual([]);
  });

  it('an ensures failure shows old and final', () => {
    const text = formatViolation({
      ...base,
      kind: 'ensures',
      blame: 'implementation',
      diff: { s: { old: owner('1'), final: owner('2') } },
    });
    expect(text).toContain('    old:   {"refCount":{"id":5,"value":"1"}');
    expect(text).toContain('    final: {"refCount":{"id":5,"value":"2"}');
  });

  it('addresses in hex: args, values and ghost addresses; counts and ids stay decimal', () => {
    const text = formatViolation(base);
    expect(text).toContain('  args:    {"paddr":"0x1000","asUnique":false}');
    expect(text).toContain('    slot.self_addr = "0x1000"');
    expect(text).toContain('    count = "2"');
    expect(text).toContain(
      '    old:   {"refCount":{"id":5,"value":"1"},"vtablePtr":{"addr":"0xffffe00000001040"},"selfAddr":"0xffffe00000001000"}',
    );
  });

  it('a paddr range and a list of paddrs in hex', () => {
    const text = formatViolation({ ...base, args: { range: { start: 8192, end: 16384 }, paddrs: [0, 4096] } });
    expect(text).toContain('  args:    {"range":{"start":"0x2000","end":"0x4000"},"paddrs":["0x0","0x1000"]}');
  });

  it('showAddr', () => {
    expect([showAddr(0), showAddr(4096), showAddr(-4096n), showAddr(2n ** 64n - 1n)]).toEqual([
      '0x0',
      '0x1000',
      '-0x1000',
      '0xffffffffffffffff',
    ]);
  });
});
