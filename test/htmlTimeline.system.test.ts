/**
 * The HTML timeline of a counterexample, opened in headless Chromium (Debian's `chromium`; `.ci/run`
 * installs it; without it the test fails saying so): the page shows the violated property, one row per step, and the slot values before
 * and after each step, with the same accesses and marks as the text timeline (the initial state a violation is in, a mid-step
 * invariant failure, a livelock's cycle).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';
import { missingTool, requireTools } from './systemTools.ts';

async function cli(...argv: string[]) {
  const out: string[] = [];
  const code = await main(argv, {
    out: (l) => out.push(l),
    err: (l) => out.push(l),
    progress: false,
    cwd: process.cwd(),
  });
  return { code, out };
}

/** Replays a counterexample of `counterexamples/` to an HTML page and returns the DOM Chromium renders of it. */
async function rendered(name: string): Promise<string> {
  const html = join(mkdtempSync(join(tmpdir(), 'framecheck-html-')), 'timeline.html');
  expect((await cli('replay', resolve('counterexamples', name), '--html', html)).code).toBe(1);
  expect(readFileSync(html, 'utf8')).toContain('<table id="timeline">');
  return execFileSync(
    'chromium',
    ['--headless', '--no-sandbox', '--disable-gpu', '--dump-dom', pathToFileURL(html).href],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 60_000,
    },
  );
}

/** The marked rows of a rendered page: step and mark. */
const marks = (dom: string) =>
  [...dom.matchAll(/<tr data-step="(\d+)" class="marked">.*?<td class="mark">([^<]*)<\/td><\/tr>/g)].map((m) => [
    Number(m[1]),
    m[2],
  ]);

describe('replay --html', () => {
  beforeAll(() => requireTools(missingTool('chromium', ['--version'], 'apt-get install -y chromium')));

  it('renders a timeline that Chromium displays with every step and slot change', async () => {
    const dom = await rendered('from_in_use_accepts_zero-linearizability.from_in_use.itf.json');
    expect(dom).toMatch(/<h1 id="property">linearizability\.from_in_use \(blame: implementation\)<\/h1>/);
    const rows = [...dom.matchAll(/<tr data-step="(\d+)">/g)].map((m) => Number(m[1]));
    expect(rows).toEqual([1, 2, 3]);
    expect(dom).toContain('<td class="chg" data-before="0 meta">0 meta → 1 meta</td>');
    expect(dom).toContain('<td class="act">starts from_in_use(0): ref_count.load() -&gt; 0</td>');
    expect(marks(dom)).toEqual([]);
  });

  it('marks a livelock cycle where it starts and ends', async () => {
    const dom = await rendered('acquire_cas_expects_wrong_value-livelock.itf.json');
    expect(marks(dom)).toEqual([
      [5, '⟲ cycle starts: steps 5–6 repeat forever'],
      [6, '⟲ cycle ends: back to step 5'],
    ]);
  });

  it('marks a mid-step invariant failure with the access that broke it', async () => {
    const dom = await rendered('unused_before_meta_drop-MetaSlotOwner__inv.unused.itf.json');
    expect(marks(dom)).toEqual([
      [4, '✗ MetaSlotOwner::inv.unused broken mid-step, right after ref_count.store(UNUSED)'],
    ]);
  });

  it('shows the initial state a violation is in', async () => {
    const dom = await rendered('frame_to_meta_wrong_slot_size-accounting.busy.itf.json');
    expect([...dom.matchAll(/<tr data-step="(\d+)"/g)].map((m) => Number(m[1]))).toEqual([0]);
    expect(dom).toContain('<td class="act">initial state</td>');
    expect(marks(dom)).toEqual([[0, '✗ accounting.busy broken in the initial state']]);
  });
});
