import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { call, inv, jsonl, ok } from '../../validate/testHistories.ts';
import { cliIn } from '../../../test/cli.ts';
import { clearInterrupt, interrupt } from '../interrupt.ts';

const dir = mkdtempSync(join(tmpdir(), 'framecheck-validate-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, data: string) => (writeFileSync(join(dir, name), data), name);
const run = cliIn(() => dir);
const P = { paddr: '0x3000' };
const GOOD = [
  inv(0, 'from_unused', { ...P, unique: false }),
  inv(1, 'from_in_use', P),
  ok(0, 'from_unused', { ok: true }),
  ok(1, 'from_in_use', { err: 'Busy' }),
];

describe('framecheck validate', () => {
  it('a linearizable history: exit 0', async () => {
    const r = await run('validate', file('good.jsonl', jsonl(GOOD)));
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(/^linearizable: 4 events, 2 operations, 1 frames/);
  });
  it('a violation: exit 1, the first unexplained event, its clause and a minimal sub-history', async () => {
    const r = await run(
      'validate',
      file(
        'bad.jsonl',
        jsonl([
          ...call(0, 'from_unused', { ...P, unique: false }, { ok: true }),
          ...call(1, 'from_in_use', P, { err: 'Busy' }),
        ]),
      ),
    );
    expect(r.code).toBe(1);
    expect(r.out.slice(0, 2)).toEqual([
      'not linearizable: line 4 — Frame::from_in_use.ensures.err_kind',
      '  event: {"type":"ok","process":1,"f":"from_in_use","value":{"err":"Busy"}}',
    ]);
    expect(r.out.join('\n')).toContain('minimal failing sub-history (4 lines)');
    const j = JSON.parse((await run('validate', 'bad.jsonl', '--json')).out[0]!);
    expect(j).toMatchObject({
      verdict: 'not-linearizable',
      violation: { line: 4, frame: 0x3000, clause: 'Frame::from_in_use.ensures.err_kind' },
    });
  });
  it.each([
    ['an empty file', ''],
    ['blank lines only', '\n\n'],
    ['an init line and no events', `${JSON.stringify({ type: 'init', value: { frames: [] } })}\n`],
  ])('%s is bad input: "empty history: no events", exit 2', async (_, text) => {
    const r = await run('validate', file('empty.jsonl', text));
    expect(r).toEqual({ code: 2, out: [], err: ['framecheck: empty.jsonl: empty history: no events'] });
  });
  it('Ctrl-C (the shared flag entry.ts sets) stops it with what was decided so far, exit 3', async () => {
    const three = ['0x3000', '0x4000', '0x5000'].flatMap((paddr, k) =>
      call(k, 'from_unused', { paddr, unique: false }, { ok: true }),
    );
    const name = file('three.jsonl', jsonl(three));
    try {
      // The validation gives the event loop a turn after the first frame: the flag is read then.
      const pending = run('validate', name);
      interrupt();
      const r = await pending;
      expect(r.code).toBe(3);
      expect(r.out.slice(0, 4)).toEqual([
        'incomplete: interrupted during the search; 1 of 3 frame sub-histories decided',
        '  linearizable: 0x3000',
        '  failing:      (none)',
        '  undecided:    0x4000, 0x5000',
      ]);
    } finally {
      clearInterrupt();
    }
  });
  it('--json of a stopped validation carries what was decided', async () => {
    try {
      const pending = run('validate', 'three.jsonl', '--json');
      interrupt();
      const j = JSON.parse((await pending).out[0]!);
      expect(j).toMatchObject({
        verdict: 'incomplete',
        stopped: { reason: 'interrupted', during: 'search', linearizable: [0x3000], undecided: [0x4000, 0x5000] },
      });
    } finally {
      clearInterrupt();
    }
  });
  it('--max-paddr bounds the frames; --variant legacy uses the u32 sentinels', async () => {
    const h = file('high.jsonl', jsonl(call(0, 'from_unused', { paddr: '0x100000', unique: false }, { ok: true })));
    expect((await run('validate', h)).code).toBe(0);
    expect((await run('validate', h, '--max-paddr', '0x100000')).code).toBe(1);
    const l = file('legacy.jsonl', jsonl(call(0, 'ref_count', P, { value: '4294967295' })));
    expect((await run('validate', l, '--variant', 'legacy')).code).toBe(0);
  });
  const line = (o: unknown) => JSON.stringify(o);
  it.each([
    [
      'a truncated line',
      `${line(GOOD[0])}\n{"type":"invoke","process":1,"f":"from_in`,
      'line 2:42: not valid JSON (an unterminated string)',
    ],
    ['a line that is not JSON', 'hello\n', 'line 1:1: not valid JSON'],
    ['a wrong type', line({ type: 'invoke', process: 'zero', f: 'drop', value: P }), 'line 1: process:'],
    [
      'an unknown event type',
      line({ type: 'fail', process: 0, f: 'drop', value: P }),
      'line 1: type: must be invoke, ok, info or init',
    ],
    ['an unknown op', line({ type: 'invoke', process: 0, f: 'free', value: P }), "line 1: f: unknown operation 'free'"],
    [
      'an unknown error',
      `${line(GOOD[1])}\n${line({ type: 'ok', process: 1, f: 'from_in_use', value: { err: 'Retry' } })}`,
      'line 2: value.err: must be one of',
    ],
    [
      'a missing field',
      line({ type: 'invoke', process: 0, f: 'from_unused', value: { paddr: '0x0' } }),
      'line 1: value.unique: must be true or false',
    ],
    ['a return without an invoke', line(GOOD[2]), 'line 1: process 0 returns from_unused without an invoke'],
    [
      'two invokes from one process',
      `${line(GOOD[0])}\n${line(GOOD[0])}`,
      'line 2: process 0 invokes from_unused while its from_unused (line 1) has not returned',
    ],
    [
      'a return naming another op',
      `${line(GOOD[0])}\n${line({ type: 'ok', process: 0, f: 'drop', value: { ok: true, last: true } })}`,
      'line 2: process 0 returns drop, but its operation in flight is from_unused (line 1)',
    ],
    [
      'an address beyond u64',
      line({ type: 'invoke', process: 0, f: 'drop', value: { paddr: '0x10000000000000000' } }),
      'line 1: value.paddr: 0x10000000000000000 is beyond u64',
    ],
    [
      'an init line that is not first',
      `${line(GOOD[0])}\n${line({ type: 'init', value: { frames: [] } })}`,
      'line 2: an init line must be the first line',
    ],
    [
      'an init frame beyond MAX_PADDR',
      line({ type: 'init', value: { frames: [{ paddr: '0x80000000', refCount: '1' }] } }),
      'line 1: value.frames[0].paddr: 0x80000000 is beyond MAX_PADDR',
    ],
  ])('%s: one line naming the line and field, exit 2', async (_, text, msg) => {
    const r = await run('validate', file('x.jsonl', text));
    expect(r.code).toBe(2);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]!.startsWith(`framecheck: x.jsonl: ${msg}`)).toBe(true);
  });
  it.each([
    [['validate'], 'validate needs a history file'],
    [['validate', 'nope.jsonl'], 'nope.jsonl: cannot read the history (ENOENT)'],
    [['validate', 'good.jsonl', '--max-paddr', '0x1p3'], '--max-paddr:'],
    [['validate', 'good.jsonl', '--max-paddr', '0'], '--max-paddr: 0 is outside 1..=2^46'],
    [['validate', 'good.jsonl', '--time-limit', '0'], '--time-limit: must be between 1 and 86400'],
  ])('%j: usage errors, exit 2', async (argv, msg) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.err[0]).toContain(msg);
  });
});
