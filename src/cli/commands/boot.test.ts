import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliIn } from '../../../test/cli.ts';

const FIXTURES = 'src/boot/fixtures';
const TWO_G = `${FIXTURES}/qemu-q35-2g.dmesg.txt`;

const run = cliIn();

describe('framecheck boot', () => {
  it('--json prints exactly one accounting object, exit 0', async () => {
    const r = await run('boot', TWO_G, '--json', '--kernel', '0x100000-0x900000');
    expect([r.code, r.out.length, r.err]).toEqual([0, 1, []]);
    const a = JSON.parse(r.out[0]!) as Record<string, unknown>;
    // usable 159 + 524000; meta ceil(524256·64/4096) = 8192; kernel 2048 frames inside usable memory.
    expect(a).toMatchObject({ flavor: 'ostd', maxPaddr: '0x7ffe0000', usableFrames: 524159, metaPages: 8192 });
    expect(a).toMatchObject({ kernelFrames: 2048, freeFrames: 524159 - 8192 - 2048, violations: [] });
  });
  it('prints a table ending with the verdict by default', async () => {
    const r = await run('boot', TWO_G);
    expect(r.code).toBe(0);
    expect(r.out).toContainEqual(expect.stringMatching(/^byMeta\.MetaPageMeta +8192$/));
    expect(r.out.at(-1)).toBe('every frame accounted for: no violation');
  });
  it('--flavor dragonos runs DragonOS’s allocator_init', async () => {
    const r = await run('boot', `${FIXTURES}/qemu-q35-2g.mb2.txt`, '--flavor', 'dragonos', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out[0]!)).toMatchObject({ flavor: 'dragonos', buddyFreeFrames: 520924, violations: [] });
  });
  it('exits 1 and lists the violation when the boot panics', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'framecheck-boot-'));
    const file = join(dir, 'tiny.json');
    // NVS is physical: max_paddr = 1 GiB + 4 KiB needs 4097 meta pages; 16 frames are usable.
    writeFileSync(
      file,
      JSON.stringify([
        { base: '0x0', len: '0x10000', type: 'Usable' },
        { base: '0x40000000', len: '0x1000', type: 'NonVolatileSleep' },
      ]),
    );
    const r = await run('boot', file);
    expect(r.code).toBe(1);
    expect(r.out).toContainEqual(expect.stringMatching(/^ {2}- boot panicked: .*early_alloc\(meta pages\)/));
  });
  it.each([
    [['boot'], 'boot needs a memory-map file'],
    [['boot', 'no/such/map.txt'], 'no/such/map.txt: cannot read the memory map (ENOENT)'],
    [['boot', FIXTURES], `${FIXTURES}: cannot read the memory map (EISDIR)`],
    [['boot', `${FIXTURES}/bad-inverted.dmesg.txt`], `${FIXTURES}/bad-inverted.dmesg.txt: line `],
    [['boot', `${FIXTURES}/bad-garbage.txt`], 'bad-garbage.txt: line 3: malformed /proc/iomem line'],
    [['boot', TWO_G, '--kernel', '0x900000-0x100000'], '--kernel: empty or inverted range 0x900000-0x100000'],
    [['boot', TWO_G, '--kernel', 'kernel'], '--kernel: expected START-END'],
    [['boot', TWO_G, '--flavor', 'linux'], '--flavor: must be ostd or dragonos'],
    [['boot', TWO_G, TWO_G], 'boot takes one memory-map file'],
  ])('%s: one line on stderr, nothing on stdout, exit 2', async (argv, msg) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toContain(msg);
    expect(r.out).toEqual([]);
  });
});
