import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REF_COUNT_UNUSED } from '../../../spec/vocab.ts';
import { jsonDump, rawSlot, slot } from '../../audit/testDumps.ts';
import { cliIn } from '../../../test/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'framecheck-audit-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, data: string | Uint8Array) => (writeFileSync(join(dir, name), data), join(dir, name));
const run = cliIn(() => dir);

const MAP = 'BIOS-e820: [mem 0x0000000000000000-0x0000000000007fff] usable\n';

describe('framecheck audit', () => {
  it('a clean dump: exit 0', async () => {
    const r = await run('audit', file('ok.json', jsonDump([slot(0x1000, 1, 'KernelMeta')])));
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(/ok\.json: json dump, 1 slots \(1 in use\), maxPaddr 0x100000 — clean/);
  });
  it('violations: exit 1, each naming the frame, the invariant, expected and actual', async () => {
    const r = await run('audit', file('bad.json', jsonDump([slot(0x3000, REF_COUNT_UNUSED, 'KernelMeta')])));
    expect(r.code).toBe(1);
    expect(r.out[1]).toBe(
      '  frame 0x3000  MetaSlotOwner::inv.unused: expected no metadata and in_list == 0 (REF_COUNT_UNUSED); actual ref_count REF_COUNT_UNUSED, metadata KernelMeta, in_list 0',
    );
    const j = await run('audit', join(dir, 'bad.json'), '--json');
    expect(JSON.parse(j.out[0]!)).toMatchObject({
      verdict: 'violations',
      violations: 1,
      byInvariant: { 'MetaSlotOwner::inv.unused': 1 },
    });
  });
  it("--spec head: the slots audited against vostd HEAD's MetaSlotOwner::inv, the version in the summary", async () => {
    const bad = file('bad-head.json', jsonDump([slot(0x3000, REF_COUNT_UNUSED, 'KernelMeta')]));
    const r = await run('audit', bad, '--spec', 'head');
    expect(r.code).toBe(1);
    expect(r.out[0]).toMatch(/maxPaddr 0x100000, vostd HEAD contracts — 1 violation/);
    const j = JSON.parse((await run('audit', bad, '--spec', 'head', '--json')).out[0]!);
    expect(j).toMatchObject({ spec: 'head', byInvariant: { 'MetaSlotOwner::inv.unused': 1 } });
    expect(JSON.parse((await run('audit', bad, '--json')).out[0]!).spec).toBe('seed');
  });
  it('--spec with an unknown version: one line, exit 2', async () => {
    const r = await run('audit', file('ok2.json', jsonDump([slot(0x1000, 1, 'KernelMeta')])), '--spec', 'tip');
    expect(r.code).toBe(2);
    expect(r.err).toEqual([expect.stringContaining('unknown spec version "tip" (expected seed or head)')]);
  });
  it('--memory-map: the leak report', async () => {
    const dump = file(
      'leak.json',
      jsonDump([slot(0x1000, 1, '()')], { free: [{ start: '0x4000', end: '0x8000' }] }, 0x8000),
    );
    const r = await run('audit', dump, '--memory-map', file('map.txt', MAP));
    expect(r.code).toBe(1);
    expect(r.out.join('\n')).toContain(
      'allocator.usable_accounted: expected every usable frame is free in the allocator or in use; actual leaked: 0x0..0x1000 (1 frame)',
    );
  });
  it('a raw dump, detected or forced', async () => {
    const raw = file('region.bin', Buffer.concat([rawSlot(REF_COUNT_UNUSED), rawSlot(1n, 5n)]));
    expect((await run('audit', raw)).out[0]).toContain('raw dump, 2 slots (1 in use)');
    expect((await run('audit', raw, '--format', 'raw', '--memory-map', join(dir, 'map.txt'))).out.join('\n')).toContain(
      'allocator.usable_accounted',
    );
  });
  it("--meta-type declares the usage of the kernel's own metadata types", async () => {
    const dump = file('pt.json', jsonDump([slot(0x1000, 2, 'MyPtMeta')], { handles: [] }));
    const frame = await run('audit', dump);
    expect(frame.code).toBe(1);
    expect(frame.out.join('\n')).toContain('accounting.shared_active');
    const pt = await run('audit', dump, '--meta-type', 'MyPtMeta=PageTable,PageCacheMeta=Frame');
    expect(pt.code).toBe(0);
  });
  it.each([
    [['audit', 'ok.json', '--meta-type', 'MyPtMeta'], '--meta-type: "MyPtMeta" is not NAME=USAGE'],
    [
      ['audit', 'ok.json', '--meta-type', 'MyPtMeta=Cache'],
      '--meta-type: MyPtMeta: usage "Cache" is not one of Frame,',
    ],
    [['audit'], 'audit needs a dump file'],
    [['audit', 'nope.json'], 'nope.json: cannot read the dump (ENOENT)'],
    [['audit', 'x', '--format', 'xml'], '--format: must be json or raw'],
    [['audit', 'odd.bin', '--format', 'raw'], 'odd.bin: the raw dump is 65 bytes, not a whole number of 64-byte slots'],
    [['audit', 'ok.json', '--memory-map', 'garbage.txt'], 'garbage.txt: line 1: not a memory-map line'],
    [['audit', 'trunc.json'], 'trunc.json: line 1:50: not valid JSON'],
  ])('%j: one line, exit 2', async (argv, msg) => {
    file('odd.bin', new Uint8Array(65));
    file('garbage.txt', 'hello\n');
    file('trunc.json', '{"format": "framecheck/meta-region@1", "slots": [');
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toContain(msg);
  });
});
