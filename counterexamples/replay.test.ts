/**
 * Every counterexample in this folder is replayed: it must reproduce on the variant or mutant it
 * records, and must not reproduce on the correct implementation. Each is ITF (Apalache ADR-015)
 * as framecheck's own check reads it; test/itfQuint.system.test.ts reads them with Quint's reader.
 * `regenerate.sh` rewrites them all.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTrace, reproduce } from '../src/cli/commands/replay.ts';
import { itfTraceProblems } from '../src/contract/itf.ts';

const dir = import.meta.dirname;
const files = readdirSync(dir).filter((f) => f.endsWith('.itf.json'));

describe('counterexamples/', () => {
  it('holds counterexamples to replay', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s reproduces on what it records, and not on the correct implementation', (f) => {
    const trace = readTrace(join(dir, f));
    expect(reproduce(trace).reproduced).toBe(true);
    if (trace['#meta'].instance.mutant !== undefined) expect(reproduce(trace, { mutant: null }).reproduced).toBe(false);
  });

  it.each(files)('%s is ITF: no null (#meta included), integers as #bigint, every state holding its vars', (f) => {
    const nulls: string[] = [];
    const t: unknown = JSON.parse(readFileSync(join(dir, f), 'utf8'), (k, v: unknown) => {
      if (v === null) nulls.push(k);
      return v;
    });
    expect(nulls).toEqual([]);
    expect(itfTraceProblems(t)).toEqual([]);
  });

  it('a file in the older shape (a continuing step as "op": null) still replays', () => {
    const f = 'claim_load_then_store-accounting.busy.itf.json';
    const t = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { '#meta': { labels: { op?: string | null }[] } };
    const continuing = t['#meta'].labels.filter((l) => l.op === undefined);
    expect(continuing.length).toBeGreaterThan(0);
    for (const l of continuing) l.op = null;
    const old = join(mkdtempSync(join(tmpdir(), 'framecheck-old-itf-')), f);
    writeFileSync(old, JSON.stringify(t));
    expect(reproduce(readTrace(old)).reproduced).toBe(true);
  });
});
