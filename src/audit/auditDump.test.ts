import { mkdtempSync, rmSync, writeFileSync, openSync, closeSync, ftruncateSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REF_COUNT_MAX, REF_COUNT_UNIQUE, REF_COUNT_UNUSED } from '../../spec/vocab.ts';
import { auditFile, auditJsonText } from './auditDump.ts';
import type { AuditSummary } from './AuditReport.ts';
import { usableRanges } from './leakRule.ts';
import { jsonDump, RAW_UNUSED, rawSlot, slot } from './testDumps.ts';

const dir = mkdtempSync(join(tmpdir(), 'framecheck-audit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const audit = (text: string, usable?: string): AuditSummary => {
  const u = usable === undefined ? undefined : usableRanges(usable);
  if (u !== undefined && 'error' in u) throw new Error(u.error);
  const r = auditJsonText('d.json', text, u === undefined ? {} : { usable: u });
  if ('error' in r) throw new Error(r.error);
  return r;
};
const invariants = (r: AuditSummary) => r.first.map((v) => `${v.invariant}@${v.frame.toString(16)}`);
const bad = (text: string) => {
  const r = auditJsonText('d.json', text, {});
  return 'error' in r ? r.error : 'no error';
};

describe('audit: slot rules', () => {
  it('a clean region: every legal shape', () => {
    const r = audit(
      jsonDump([
        slot(0, REF_COUNT_UNUSED),
        slot(0x1000, 2, 'KernelMeta'),
        slot(0x2000, REF_COUNT_UNIQUE, '()', 7),
        slot(0x3000, 0),
        slot(0x4000, REF_COUNT_MAX, 'MetaPageMeta'),
      ]),
    );
    expect(r.verdict).toBe('clean');
    expect(r.inUse).toBe(4);
  });
  it.each([
    [
      'a count between MAX and UNIQUE',
      slot(0x1000, REF_COUNT_MAX + 1n, 'KernelMeta'),
      'MetaSlotOwner::inv.illegal_band',
    ],
    ['unused with metadata', slot(0x1000, REF_COUNT_UNUSED, 'KernelMeta'), 'MetaSlotOwner::inv.unused'],
    ['unused but linked', slot(0x1000, REF_COUNT_UNUSED, null, 1), 'MetaSlotOwner::inv.unused'],
    ['shared without metadata', slot(0x1000, 1), 'MetaSlotOwner::inv.shared'],
    ['shared but linked', slot(0x1000, 1, 'KernelMeta', 3), 'MetaSlotOwner::inv.shared'],
    ['unique without metadata', slot(0x1000, REF_COUNT_UNIQUE), 'MetaSlotOwner::inv.unique'],
    ['busy but linked', slot(0x1000, 0, null, 1), 'MetaSlotOwner::inv.busy'],
  ])('%s', (_, s, invariant) => {
    const r = audit(jsonDump([s]));
    expect(r.verdict).toBe('violations');
    expect(r.first[0]).toMatchObject({ frame: 0x1000, invariant });
    expect(r.first[0]!.expected).not.toBe('');
    expect(r.first[0]!.actual).toContain('ref_count');
  });
});

describe('audit: handles (the accounting equation)', () => {
  const slots = [
    slot(0x1000, 2, 'KernelMeta'),
    slot(0x2000, REF_COUNT_UNIQUE, '()'),
    slot(0x3000, REF_COUNT_UNIQUE, '()', 5),
    slot(0x4000, 3, '()'),
  ];
  const handles = [
    { kind: 'frame', paddr: '0x4000' },
    { kind: 'unique', paddr: '0x2000' },
    { kind: 'pte', paddr: '0x4000' },
    { kind: 'segment', start: '0x4000', end: '0x5000' },
  ];
  it('holds when every reference is a handle, a mapping, a segment or a list link (boot frames excepted)', () => {
    expect(audit(jsonDump(slots, { handles })).verdict).toBe('clean');
  });
  it.each([
    [
      'a count one too high',
      [
        { kind: 'frame', paddr: '0x4000' },
        { kind: 'unique', paddr: '0x2000' },
        { kind: 'pte', paddr: '0x4000' },
      ],
      'accounting.rc_equation@4000',
    ],
    ['two unique handles', [...handles, { kind: 'unique', paddr: '0x2000' }], 'accounting.unique_at_most_one@2000'],
    [
      'a unique handle on a shared frame',
      [...handles, { kind: 'unique', paddr: '0x4000' }],
      'accounting.unique_exclusive@4000',
    ],
    ['a unique frame nobody owns', handles.filter((h) => h.kind !== 'unique'), 'accounting.unique_owned@2000'],
    [
      'a handle to an unused frame',
      [...handles, { kind: 'frame', paddr: '0x9000' }],
      'accounting.unused_unreferenced@9000',
    ],
  ])('%s', (_, hs, want) => {
    expect(invariants(audit(jsonDump(slots, { handles: hs })))).toContain(want);
  });
});

describe("audit: the kernel's own metadata types", () => {
  const withHandles = (type: string, count: number, handles: number, extra: Record<string, unknown> = {}) =>
    jsonDump([slot(0x1000, count, type)], {
      handles: Array.from({ length: handles }, () => ({ kind: 'frame', paddr: '0x1000' })),
      ...extra,
    });
  it('a type framecheck does not know is a typed frame: the accounting equation applies', () => {
    expect(audit(withHandles('PageCacheMeta', 2, 2)).verdict).toBe('clean');
    expect(invariants(audit(withHandles('PageCacheMeta', 3, 1)))).toEqual(['accounting.rc_equation@1000']);
    expect(invariants(audit(withHandles('aster_nix::vm::vmo::VmoMeta', 1, 0)))).toEqual([
      'accounting.shared_active@1000',
    ]);
  });
  it('the dump declares the usage of its types; a boot-held usage is outside the equation', () => {
    const declared = { metaTypes: { MyPtMeta: 'PageTable', PageCacheMeta: 'Frame' } };
    expect(audit(withHandles('MyPtMeta', 2, 0, declared)).verdict).toBe('clean');
    expect(invariants(audit(withHandles('MyPtMeta', 2, 0)))).toEqual(['accounting.shared_active@1000']);
  });
  it('--meta-type wins over the dump and over the built-in list', () => {
    const text = withHandles('KernelMeta', 2, 0, { metaTypes: { KernelMeta: 'Kernel' } });
    expect(audit(text).verdict).toBe('clean');
    const r = auditJsonText('d.json', text, { metaTypes: new Map([['KernelMeta', 'Frame']]) });
    expect('error' in r ? r.error : invariants(r)).toEqual(['accounting.shared_active@1000']);
  });
  it('handles beyond the count are a violation whatever the usage', () => {
    for (const type of ['KernelMeta', 'PageTablePageMeta', 'MetaPageMeta']) {
      expect(audit(withHandles(type, 2, 2)).verdict).toBe('clean');
      const r = audit(withHandles(type, 1, 3));
      expect(invariants(r)).toEqual(['accounting.rc_covers_refs@1000']);
      expect(r.first[0]!.actual).toBe('rc == 1');
    }
  });
});

describe('audit: free ranges', () => {
  const slots = [slot(0x1000, 1, '()')];
  it('disjoint ranges of unused frames are clean', () => {
    expect(
      audit(
        jsonDump(slots, {
          free: [
            { start: '0x2000', end: '0x4000' },
            { start: '0x4000', end: '0x8000' },
          ],
        }),
      ).verdict,
    ).toBe('clean');
  });
  it('overlapping ranges', () => {
    expect(
      invariants(
        audit(
          jsonDump(slots, {
            free: [
              { start: '0x2000', end: '0x6000' },
              { start: '0x4000', end: '0x8000' },
            ],
          }),
        ),
      ),
    ).toEqual(['allocator.free_disjoint@4000']);
  });
  it('a free frame in use, with and without handles', () => {
    const free = [{ start: '0x0', end: '0x2000' }];
    expect(invariants(audit(jsonDump(slots, { free })))).toEqual(['accounting.free_unused@1000']);
    expect(invariants(audit(jsonDump(slots, { free, handles: [{ kind: 'frame', paddr: '0x1000' }] })))).toEqual([
      'accounting.free_unused@1000',
    ]);
  });
  it('a free frame with a handle', () => {
    const r = audit(
      jsonDump(slots, {
        free: [{ start: '0x2000', end: '0x3000' }],
        handles: [
          { kind: 'frame', paddr: '0x1000' },
          { kind: 'frame', paddr: '0x2000' },
        ],
      }),
    );
    expect(invariants(r)).toEqual(['accounting.unused_unreferenced@2000']);
  });
});

describe('audit: --memory-map (leaks)', () => {
  const map =
    'BIOS-e820: [mem 0x0000000000000000-0x000000000000ffff] usable\nBIOS-e820: [mem 0x0000000000010000-0x000000000001ffff] reserved\n';
  const slots = [slot(0x1000, 1, '()'), slot(0x2000, 1, '()'), slot(0x10000, 1, 'ReservedMemoryMeta')];
  it('every usable frame free or in use: clean', () => {
    expect(
      audit(
        jsonDump(slots, {
          free: [
            { start: '0x0', end: '0x1000' },
            { start: '0x3000', end: '0x10000' },
          ],
        }),
        map,
      ).verdict,
    ).toBe('clean');
  });
  it('lists the leaked ranges', () => {
    const r = audit(
      jsonDump(slots, {
        free: [
          { start: '0x0', end: '0x1000' },
          { start: '0x8000', end: '0x10000' },
        ],
      }),
      map,
    );
    expect(invariants(r)).toEqual(['allocator.usable_accounted@3000']);
    expect(r.first[0]!.actual).toContain('0x3000..0x8000 (5 frames)');
  });
  it('free memory outside usable memory, and usable memory without slots', () => {
    const r = audit(
      jsonDump(
        slots,
        {
          free: [
            { start: '0x0', end: '0x1000' },
            { start: '0x3000', end: '0x11000' },
          ],
        },
        0x20000,
      ),
      map,
    );
    expect(invariants(r)).toEqual(['accounting.free_unused@10000', 'allocator.free_in_usable@10000']);
    const small = audit(jsonDump([], { free: [{ start: '0x0', end: '0x8000' }] }, 0x8000), map);
    expect(invariants(small)).toEqual(['allocator.usable_accounted@8000']);
  });
  it('without free ranges, checks coverage only and says so', () => {
    const r = audit(jsonDump(slots), map);
    expect(r.verdict).toBe('clean');
    expect(r.notes[0]).toContain('no free ranges');
  });
});

describe('audit: malformed JSON dumps are bad input, one line naming the field', () => {
  const ok = [slot(0x1000, 1, '()')];
  it.each([
    ['truncated JSON', '{"format": "framecheck/meta-region@1",\n "slots": [\n', /^line 3:1: not valid JSON/],
    [
      'another format',
      jsonDump(ok).replace('meta-region@1', 'meta-region@2'),
      /^format: must be "framecheck\/meta-region@1"/,
    ],
    ['another page size', jsonDump(ok).replace('"pageSize": 4096', '"pageSize": 65536'), /^pageSize: must be 4096/],
    [
      'a count beyond u64',
      jsonDump([{ ...slot(0x1000, 1, '()'), refCount: '18446744073709551616' }]),
      /^slots\[0\]\.refCount: 18446744073709551616 is beyond u64/,
    ],
    [
      'a count of the wrong type',
      jsonDump([{ ...slot(0x1000, 1, '()'), refCount: 'many' }]),
      /^slots\[0\]\.refCount: "many" is not a u64/,
    ],
    ['an unaligned slot', jsonDump([slot(0x1001, 1, '()')]), /^slots\[0\]\.paddr: 0x1001 is not page-aligned/],
    ['a slot beyond maxPaddr', jsonDump([slot(0x200000, 1, '()')]), /^slots\[0\]\.paddr: 0x200000 is beyond maxPaddr/],
    [
      'a slot listed twice',
      jsonDump([slot(0x1000, 1, '()'), slot(0x1000, 1, '()')]),
      /^slots\[1\]\.paddr: frame 0x1000 is listed twice/,
    ],
    ['an empty metadata type name', jsonDump([slot(0x1000, 1, '')]), /^slots\[0\]\.meta\.type: must not be empty/],
    [
      'a declared usage that is none',
      jsonDump(ok, { metaTypes: { PageCacheMeta: 'Cache' } }),
      /^metaTypes\.PageCacheMeta: must be one of Frame, PageTable, Meta, Kernel, Reserved, MMIO/,
    ],
    ['declared usages not an object', jsonDump(ok, { metaTypes: ['Frame'] }), /^metaTypes: must be \{"NAME": USAGE/],
    ['a region beyond 2^46', jsonDump(ok, {}, 2 ** 47), /^maxPaddr: 0x800000000000 is outside 1\.\.=2\^46$/],
    [
      'a missing field',
      jsonDump([{ ...slot(0x1000, 1, '()'), inList: undefined } as unknown as ReturnType<typeof slot>]),
      /^slots\[0\]\.inList: expected a u64/,
    ],
    ['an unknown handle kind', jsonDump(ok, { handles: [{ kind: 'borrowed', paddr: '0x1000' }] }), /^handles\[0\]/],
    [
      'an inverted free range',
      jsonDump(ok, { free: [{ start: '0x4000', end: '0x2000' }] }),
      /^free\[0\]: the range 0x4000\.\.0x2000 is empty or inverted/,
    ],
    ['an empty region', jsonDump(ok, {}, 0), /^maxPaddr: 0x0 is outside/],
    ['not an object', '[]', /expected object, received array/],
  ])('%s', (_, text, want) => {
    expect(bad(text)).toMatch(want);
  });
});

describe('audit: raw dumps, streamed', () => {
  const write = (name: string, slots: readonly Uint8Array[]): string => {
    const file = join(dir, name);
    writeFileSync(file, Buffer.concat(slots));
    return file;
  };
  const raw = (file: string) => {
    const r = auditFile(file, file, { format: 'raw' });
    if ('error' in r) throw new Error(r.error);
    return r;
  };
  it('applies the count, vtable and list rules; a stale vtable in an unused slot is allowed', () => {
    const r = raw(
      write('ok.bin', [
        RAW_UNUSED,
        rawSlot(REF_COUNT_UNUSED, 0xffff_8000_1234n),
        rawSlot(2n, 7n),
        rawSlot(REF_COUNT_UNIQUE, 7n, 1n),
        rawSlot(0n),
      ]),
    );
    expect(r).toMatchObject({ verdict: 'clean', slots: 5, inUse: 3, maxPaddr: '0x5000' });
    const b = raw(
      write('bad.bin', [
        rawSlot(REF_COUNT_UNUSED, 0n, 1n),
        rawSlot(2n),
        rawSlot(1n << 63n, 7n),
        rawSlot(REF_COUNT_UNIQUE),
      ]),
    );
    expect(invariants(b)).toEqual([
      'MetaSlotOwner::inv.unused@0',
      'MetaSlotOwner::inv.shared@1000',
      'MetaSlotOwner::inv.illegal_band@2000',
      'MetaSlotOwner::inv.unique@3000',
    ]);
  });
  it('says that declared metadata usages change nothing on a raw dump', () => {
    const file = write('types.bin', [rawSlot(1n, 7n)]);
    const r = auditFile(file, file, { format: 'raw', metaTypes: new Map([['PageCacheMeta', 'Frame']]) });
    expect(r).toMatchObject({ verdict: 'clean', notes: [expect.stringContaining('names no metadata types')] });
  });
  it('is detected by its first byte, and refuses a size that is not whole slots', () => {
    const file = write('dump', [RAW_UNUSED]);
    expect(auditFile(file, file, {})).toMatchObject({ format: 'raw', verdict: 'clean' });
    const odd = join(dir, 'odd.bin');
    writeFileSync(odd, new Uint8Array(100));
    expect(auditFile(odd, odd, { format: 'raw' })).toEqual({
      error: 'the raw dump is 100 bytes, not a whole number of 64-byte slots (36 bytes left over)',
    });
    writeFileSync(odd, new Uint8Array(0));
    expect(auditFile(odd, odd, { format: 'raw' })).toEqual({ error: 'the raw dump is empty: it holds no slot' });
  });
  it('audits a 4-million-slot (256 MiB) sparse dump in seconds, in constant memory', () => {
    const file = join(dir, 'big.bin');
    const slots = 4_000_000;
    const fd = openSync(file, 'w');
    ftruncateSync(fd, slots * 64);
    writeSync(fd, rawSlot(2n), 0, 64, 1_000_000 * 64);
    writeSync(fd, rawSlot(REF_COUNT_MAX + 5n, 3n), 0, 64, (slots - 1) * 64);
    closeSync(fd);
    const before = process.memoryUsage();
    const r = raw(file);
    const after = process.memoryUsage();
    rmSync(file);
    expect(r.slots).toBe(slots);
    expect(invariants(r)).toEqual([
      'MetaSlotOwner::inv.shared@f4240000',
      `MetaSlotOwner::inv.illegal_band@${((slots - 1) * 4096).toString(16)}`,
    ]);
    expect(after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers).toBeLessThan(48 * 2 ** 20);
  });
});
