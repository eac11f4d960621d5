/**
 * The sample files of docs/formats.md go through the real commands, and the snippets of the document
 * through the real parsers, so that neither the samples nor the document can drift from the code.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseJsonDump } from '../src/audit/dumpSchema.ts';
import { META_USAGES, UPSTREAM_META_TYPES, usageOf } from '../src/audit/metaTypes.ts';
import { parseMemoryMap } from '../src/boot/parseMemoryMap.ts';
import { TraceSchema } from '../src/check/trace.ts';
import { ITF_NONE, itfProblems } from '../src/contract/itf.ts';
import { Certificate } from '../src/prove/certificate.ts';
import { parseHistory } from '../src/validate/parseHistory.ts';
import { cliIn } from '../test/cli.ts';

const root = join(import.meta.dirname, '..');
const run = cliIn(() => root);
const doc = readFileSync(join(root, 'docs/formats.md'), 'utf8');
/** The TypeScript files under `dir`, relative to the repository. */
const sources = (dir: string): string[] =>
  readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f));

/** The fenced blocks of the document in language `lang`. */
const blocks = (lang: string): string[] =>
  [...doc.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);

/** The ITF sample the document names. */
const ITF_SAMPLE = 'counterexamples/from_in_use_accepts_zero-linearizability.from_in_use.itf.json';

describe('docs/formats.md', () => {
  it('has the section headings other documents link to', () => {
    const headings = doc
      .split('\n')
      .filter((l) => l.startsWith('## '))
      .map((l) => l.slice(3));
    expect(headings).toEqual(
      expect.arrayContaining([
        'Histories',
        'Metadata-region dumps',
        'Memory maps',
        'Counterexamples (ITF)',
        'Certificates',
      ]),
    );
    // GitHub's anchors: lower case, punctuation but '-' dropped, spaces as '-'
    const anchors = headings.map((h) =>
      h
        .toLowerCase()
        .replace(/[^a-z0-9 -]/g, '')
        .replace(/ /g, '-'),
    );
    const texts = ['README.md', 'docs/conform.md', 'docs/findings.md', ...sources('src')].map((f) =>
      readFileSync(join(root, f), 'utf8'),
    );
    const linked = texts.flatMap((t) => [...t.matchAll(/formats\.md#([a-z0-9-]+)/g)].map((m) => m[1]!));
    const named = texts.flatMap((t) => [...t.matchAll(/formats\.md, "([^"]+)"/g)].map((m) => m[1]!));
    expect(linked.length + named.length).toBeGreaterThan(0);
    expect(linked.filter((a) => !anchors.includes(a))).toEqual([]);
    expect(named.filter((h) => !headings.includes(h))).toEqual([]);
  });

  it('its history lines and its dump are what the parsers accept', () => {
    const [history, init] = blocks('jsonl');
    for (const text of [history!, init!]) {
      const h = parseHistory(text, { maxPaddr: 0x8000_0000 });
      expect('error' in h ? h.error : 'parsed').toBe('parsed');
    }
    const dump = blocks('json').find((b) => b.includes('meta-region@1'))!;
    const d = parseJsonDump(dump);
    if ('error' in d) throw new Error(d.error);
    expect(d.metaTypes.get('IommuPtMeta')).toBe('PageTable');
    expect(d.handles).toHaveLength(2);
  });

  it("its table of metadata usages is the audit's", () => {
    const rows = doc.slice(doc.indexOf('| usage ')).split('\n').slice(2);
    rows.splice(rows.indexOf(''));
    const usages = rows.map((r) => /^\| `(\w+)`/.exec(r)![1]!);
    expect(usages).toEqual([...META_USAGES]);
    const named = rows.flatMap((r) => {
      const [, usage, types] = /^\| `(\w+)` +\| ([^|]*)\|/.exec(r)!;
      return [...types!.matchAll(/`(\w+)`/g)].map((m) => [m[1]!, usage!] as const);
    });
    expect(named.map(([t]) => t).sort()).toEqual([...UPSTREAM_META_TYPES].sort());
    for (const [type, usage] of named) expect(usageOf(type)).toBe(usage);
    expect(usageOf('PageCacheMeta')).toBe('Frame');
  });

  it('links only to files that exist', () => {
    const links = [...doc.matchAll(/\]\(\.\.\/([^)#]+)\)/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(5);
    for (const l of links) expect(() => readFileSync(join(root, l.replace(/\*.*$/, '')))).not.toThrow(/ENOENT/);
  });
});

describe('the sample files under examples/', () => {
  it('history.jsonl: validate finds it linearizable', async () => {
    const r = await run('validate', 'examples/history.jsonl');
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(/^linearizable: 32 events, 16 operations, 4 frames /);
    const ops = readFileSync(join(root, 'examples/history.jsonl'), 'utf8').match(/"f":"[a-z_]+"/g) ?? [];
    const names = new Set(ops.map((o) => o.slice(5, -1)));
    for (const f of ['from_unused', 'from_in_use', 'clone', 'drop', 'into_shared', 'try_into_unique'])
      expect(names).toContain(f);
    for (const f of ['drop_unique', 'ref_count', 'alloc']) expect(names).toContain(f);
  });

  it('dump.json: clean against the e820 map, with kernel types of its own', async () => {
    const r = await run('audit', 'examples/dump.json', '--memory-map', 'examples/memory-map.e820.txt');
    expect(r.err).toEqual([]);
    expect(r.out[0]).toMatch(/^examples\/dump\.json: json dump, 8 slots \(7 in use\), maxPaddr 0x10000 — clean/);
    expect(r.code).toBe(0);
    // Without its metaTypes, the page-table frame would be an ordinary frame with no handle.
    const undeclared = await run('audit', 'examples/dump.json', '--meta-type', 'IommuPtMeta=Frame');
    expect(undeclared.code).toBe(1);
    expect(undeclared.out[1]).toContain('frame 0x6000  accounting.shared_active');
  });

  it('dump.raw: clean, 8 slots', async () => {
    const r = await run('audit', 'examples/dump.raw');
    expect(r.err).toEqual([]);
    expect(r.out[0]).toMatch(/^examples\/dump\.raw: raw dump, 8 slots \(6 in use\), maxPaddr 0x8000 — clean/);
    expect(r.code).toBe(0);
  });

  it.each([
    ['memory-map.e820.txt', 'e820'],
    ['memory-map.iomem.txt', 'iomem'],
    ['memory-map.multiboot2.txt', 'multiboot2'],
    ['memory-map.json', 'json'],
  ])('%s: read as %s, and boots with every frame accounted for', async (file, format) => {
    const parsed = parseMemoryMap(readFileSync(join(root, 'examples', file), 'utf8'));
    expect(parsed.ok && parsed.format).toBe(format);
    const r = await run('boot', `examples/${file}`);
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.out.at(-1)).toBe('every frame accounted for: no violation');
  });

  it('the ITF sample: valid ITF of the documented shape, a trace replay reproduces', async () => {
    const json = JSON.parse(readFileSync(join(root, ITF_SAMPLE), 'utf8')) as unknown;
    expect(itfProblems(json)).toEqual([]);
    const trace = TraceSchema.safeParse(json);
    if (!trace.success) throw trace.error;
    const documented = /"vars": (\[[^\]]*\])/.exec(doc)![1]!;
    expect(trace.data.vars).toEqual(JSON.parse(documented));
    const [first] = trace.data.states as Record<string, unknown>[];
    expect(Object.keys(first!)).toEqual(['#meta', ...trace.data.vars]);
    expect(Object.keys((first!['threads'] as object[])[0]!)).toEqual(['op', 'frame', 'steps_done', 'shared', 'unique']);
    expect(first!['mbt::nondetPicks']).toEqual({ t: ITF_NONE, op: ITF_NONE, frame: ITF_NONE });
    const r = await run('replay', ITF_SAMPLE);
    expect(r.code).toBe(1);
    expect(r.out.join('\n')).toContain('linearizability.from_in_use');
  });

  it('certificates/one-frame.json: a certificate prove reproduces', async () => {
    const c = Certificate.safeParse(
      JSON.parse(readFileSync(join(root, 'examples/certificates/one-frame.json'), 'utf8')),
    );
    if (!c.success) throw new Error(`not a certificate: ${c.error.message}`);
    const r = await run('prove', '--certificates', 'examples/certificates', 'one-frame');
    expect(r.err).toEqual([]);
    // When the explorer's states or reductions change on purpose, re-record the sample as proofs/certificates are:
    // framecheck prove --certify --certificates examples/certificates --name one-frame <its flags>
    expect(r.out.join('\n')).toMatch(new RegExp(`one-frame +reproduced .* ${c.data.states} states, digest reproduced`));
    expect(r.code).toBe(0);
  });
});
