/**
 * The ITF encoding (Apalache ADR-015): no `null` (absence is Quint's `Option`), every integer a
 * `#bigint`, and the conformance check that the counterexample tests run on every trace.
 */
import { describe, expect, it } from 'vitest';
import { toTrace } from '../check/trace.ts';
import { runLabels } from '../check/explore/search.ts';
import { subjectOf } from '../subjects/resolve.ts';
import type { Instance } from '../check/instance.ts';
import { ITF_NONE, fromItf, itfProblems, itfTraceProblems, toItf } from './itf.ts';
import { violationToItf, type Violation } from './report.ts';

describe('toItf', () => {
  it('writes null and undefined as None, and leaves out undefined record fields', () => {
    expect(toItf(null)).toEqual({ tag: 'None', value: { '#tup': [] } });
    expect(toItf([undefined, 1])).toEqual([ITF_NONE, { '#bigint': '1' }]);
    expect(toItf({ a: undefined, b: null })).toEqual({ b: ITF_NONE });
  });

  it('writes u64 values exactly, as #bigint', () => {
    expect(toItf(2n ** 64n - 1n)).toEqual({ '#bigint': '18446744073709551615' });
    expect(toItf(new Map([[0, new Set([2n ** 53n + 1n])]]))).toEqual({
      '#map': [[{ '#bigint': '0' }, { '#set': [{ '#bigint': '9007199254740993' }] }]],
    });
  });

  it('round-trips through fromItf, tuples included', () => {
    const v = { m: new Map([[1n, [true, 'x']]]), s: new Set([3n]) };
    expect(fromItf(toItf(v))).toEqual(v);
    expect(fromItf({ '#tup': [{ '#bigint': '5' }, 'a'] })).toEqual([5n, 'a']);
  });
});

describe('itfProblems', () => {
  it.each([
    [{ a: null }, '$.a: null (ITF has none)'],
    [[2 ** 53], '$[0]: 9007199254740992 is not a safe integer'],
    [{ x: 1.5 }, '$.x: 1.5 is not a safe integer'],
    [{ '#bigint': 7 }, '$: #bigint is not a decimal string'],
    [{ '#map': [[1]] }, '$.#map[0]: not a [key, value] pair'],
    [{ '#set': [], extra: true }, '$: #set beside other keys'],
    [{ '#frob': 1 }, '$: unknown key #frob'],
  ])('%j: %s', (v, problem) => {
    expect(itfProblems(v)).toEqual([problem]);
  });

  it('accepts what toItf writes, and leaves #meta free-form', () => {
    expect(itfProblems({ '#meta': { anything: null }, v: toItf({ n: null, big: 2n ** 64n }) })).toEqual([]);
  });

  it('a state whose keys are not the vars is named', () => {
    expect(itfTraceProblems({ vars: ['a'], states: [{ a: true, b: false }] })).toEqual([
      '$.states[0]: keys a,b are not vars a',
    ]);
  });
});

describe('the traces framecheck writes', () => {
  it("an explorer trace with idle threads and a continuing step: ITF, its vars every state's keys", () => {
    const inst: Instance = {
      frames: 1,
      threads: 2,
      programs: [
        { kind: 'fixed', steps: [{ op: 'from_unused', frame: 0 }] },
        { kind: 'fixed', steps: [{ op: 'from_unused', frame: 0 }] },
      ],
      refCountMax: 2n,
      variant: 'current',
      mutant: 'claim_load_then_store',
      symmetry: false,
      por: false,
    };
    const labels = [
      { t: 0, op: 'from_unused', frame: 0 },
      { t: 0, op: undefined, frame: 0 },
    ] as const;
    const run = runLabels(inst, labels, false, subjectOf(inst));
    const t = toTrace(
      run.world,
      inst,
      { property: 'p', verus: 'v', blame: 'spec', message: 'm', frame: 0 },
      run,
      'bfs',
    );
    expect(itfTraceProblems(t)).toEqual([]);
    expect(t['#meta'].labels[1]).toEqual({ t: 0, frame: 0 });
    const [init, , cont] = t.states as Record<string, unknown>[];
    expect((init!['threads'] as { op: unknown }[])[1]!.op).toEqual(ITF_NONE);
    expect(init!['mbt::nondetPicks']).toEqual({ t: ITF_NONE, op: ITF_NONE, frame: ITF_NONE });
    expect(cont!['mbt::nondetPicks']).toEqual({
      t: { tag: 'Some', value: { '#bigint': '0' } },
      op: ITF_NONE,
      frame: ITF_NONE,
    });
  });

  it("an any-op alloc's frame is the allocator's pick, not the step's: None, not -1", () => {
    const inst: Instance = {
      frames: 1,
      threads: 1,
      programs: [{ kind: 'any', depth: 1, ops: ['alloc'] }],
      refCountMax: 2n,
      variant: 'current',
      mutant: undefined,
      symmetry: false,
      por: false,
    };
    const run = runLabels(inst, [{ t: 0, op: 'alloc', frame: -1 }], false);
    const t = toTrace(
      run.world,
      inst,
      { property: 'p', verus: 'v', blame: 'spec', message: 'm', frame: 0 },
      run,
      'bfs',
    );
    expect(itfTraceProblems(t)).toEqual([]);
    expect((t.states[1] as Record<string, unknown>)['mbt::nondetPicks']).toEqual({
      t: { tag: 'Some', value: { '#bigint': '0' } },
      op: { tag: 'Some', value: 'alloc' },
      frame: ITF_NONE,
    });
  });

  it('a contract violation with null and undefined values', () => {
    const v: Violation = {
      op: 'get_from_in_use',
      rust: 'MetaSlot::get_from_in_use',
      clause: 'get_from_in_use.requires.x',
      kind: 'requires',
      verus: 'x',
      blame: 'caller',
      detection: 'predicate_false',
      args: { paddr: 4096n, extra: null },
      result: undefined,
      values: { slot: null, count: 2n ** 64n - 1n },
      diff: { 'slot 1': { old: undefined, final: { rc: 1n } } },
      call: 1,
    };
    expect(itfTraceProblems(violationToItf(v, 3))).toEqual([]);
  });
});
