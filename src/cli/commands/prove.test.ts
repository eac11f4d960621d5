/**
 * `framecheck prove` end to end, in process: every obligation proved and every committed certificate
 * reproduced; selection by name; one-line usage errors; a certificate recorded with `--certify`
 * re-verifies, and one that was tampered with (or is not a certificate) fails.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliIn } from '../../../test/cli.ts';

const run = cliIn();

type Report = {
  obligations: { name: string; status: string; seconds: number; mirrors?: string }[];
  certificates: { name: string; status: string; differences?: string[] }[];
};

const dir = mkdtempSync(join(tmpdir(), 'framecheck-certs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const SMALL = ['--frames', '1', '--threads', '2', '--depth', '2', '--ops', 'from_unused,from_in_use,drop'];

describe('framecheck prove', () => {
  it('--json: at least 15 obligations, all proved, and every committed certificate reproduced; exit 0', async () => {
    const r = await run('prove', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out[0]!) as Report;
    expect(j.obligations.length).toBeGreaterThanOrEqual(15);
    expect(j.obligations.filter((o) => o.status !== 'proved')).toEqual([]);
    expect(j.obligations.every((o) => typeof o.seconds === 'number' && o.seconds >= 0)).toBe(true);
    expect(j.obligations.find((o) => o.name === 'lemma_frame_to_meta_round_trip')?.mirrors).toBe(
      'lemma_paddr_to_meta_biinjective',
    );
    expect(j.certificates.length).toBeGreaterThanOrEqual(2);
    expect(j.certificates.filter((c) => c.status !== 'reproduced')).toEqual([]);
  });

  it('NAME selects obligations; the table shows status and time', async () => {
    const r = await run('prove', 'lemma_rc_claim', 'lemma_buddy_split');
    expect(r.code).toBe(0);
    expect(r.out.filter((l) => /^lemma_\w+\s+proved\s+\d+\.\d\d/.test(l))).toHaveLength(2);
    expect(r.out.at(-1)).toMatch(/^2\/2 obligations proved, 0\/0 certificates reproduced/);
  });

  it('a solver timeout is unknown with its reason, never proved; exit 3', async () => {
    const r = await run('prove', 'lemma_early_alloc', '--timeout', '0.001', '--json');
    expect(r.code).toBe(3);
    expect((JSON.parse(r.out[0]!) as Report).obligations).toMatchObject([
      { name: 'lemma_early_alloc', status: 'unknown', reason: expect.stringMatching(/timeout|canceled/) },
    ]);
  });

  it.each([
    [['prove', 'lemma_nosuch'], "unknown obligation or certificate 'lemma_nosuch'"],
    [['prove', '--name', 'x'], 'add --certify'],
    [['prove', '--frames', '1'], 'add --certify'],
    [['prove', '--sleep-sets'], 'add --certify'],
    [['prove', '--timeout', '0'], '--timeout: must be more than 0 and at most 3600 seconds'],
    [['prove', '--timeout', 'soon'], '--timeout: must be a number of seconds'],
    [['prove', '--certify', '--frames', '99'], '--frames: must be between 1 and 16'],
  ])('%s: one line on stderr, exit 2', async (argv, msg) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toContain(msg);
  });
});

describe('certificates', () => {
  it('--certify records a run that re-verifies', async () => {
    const c = await run('prove', '--certify', '--name', 'small', '--certificates', dir, ...SMALL);
    expect(c.code).toBe(0);
    expect(c.out[0]).toMatch(/^certified small: \d+ states/);
    const r = await run('prove', 'small', '--certificates', dir, '--json');
    expect(r.code).toBe(0);
    expect((JSON.parse(r.out[0]!) as Report).certificates).toMatchObject([{ name: 'small', status: 'reproduced' }]);
  });

  it('--certify --sleep-sets records them among the reductions, and the re-run uses them', async () => {
    const two = ['--frames', '2', '--threads', '2', '--depth', '2', '--ops', 'from_unused,from_in_use,drop'];
    expect(
      (await run('prove', '--certify', '--name', 'sleep', '--sleep-sets', '--certificates', dir, ...two)).code,
    ).toBe(0);
    const cert = JSON.parse(readFileSync(join(dir, 'sleep.json'), 'utf8')) as { reductions: Record<string, unknown> };
    expect(cert.reductions).toMatchObject({ symmetry: true, por: true, sleepSets: true });
    expect((await run('prove', 'sleep', '--certificates', dir)).code).toBe(0);
  });

  it('a program with spaces is recorded quoted and re-runs', async () => {
    const program = ['--program', '0:from_unused, drop; 1:from_in_use, drop', '--threads', '2', '--frames', '1'];
    expect((await run('prove', '--certify', '--name', 'program', '--certificates', dir, ...program)).code).toBe(0);
    const cert = JSON.parse(readFileSync(join(dir, 'program.json'), 'utf8')) as { flags: string };
    expect(cert.flags).toBe('--frames 1 --threads 2 --program "0:from_unused, drop; 1:from_in_use, drop"');
    expect((await run('prove', 'program', '--certificates', dir)).code).toBe(0);
  });

  it('a certificate whose state count was changed fails, naming the field', async () => {
    await run('prove', '--certify', '--name', 'tampered', '--certificates', dir, ...SMALL);
    const file = join(dir, 'tampered.json');
    const cert = JSON.parse(readFileSync(file, 'utf8')) as { states: number };
    writeFileSync(file, JSON.stringify({ ...cert, states: cert.states + 1 }));
    const r = await run('prove', 'tampered', '--certificates', dir, '--json');
    expect(r.code).toBe(1);
    const [row] = (JSON.parse(r.out[0]!) as Report).certificates;
    expect(row).toMatchObject({ name: 'tampered', status: 'failed' });
    expect(row?.differences).toEqual([`states: ${cert.states + 1} → ${cert.states}`]);
  });

  it('a file that is not a certificate fails', async () => {
    writeFileSync(join(dir, 'broken.json'), '{"format": "something else"}');
    const r = await run('prove', 'broken', '--certificates', dir);
    expect(r.code).toBe(1);
    expect(r.out.join('\n')).toMatch(/broken\s+failed .*not a certificate/);
  });
});
