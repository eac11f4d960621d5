/**
 * The HTML timeline of a counterexample, opened in headless Chromium (Debian's `chromium`; `.ci/run`
 * installs it; without it the test fails saying so): the page shows the violated property, one row per step, and the slot values before
 * and after each step.
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

describe('replay --html', () => {
  beforeAll(() => requireTools(missingTool('chromium', ['--version'], 'apt-get install -y chromium')));

  it('renders a timeline that Chromium displays with every step and slot change', async () => {
    const html = join(mkdtempSync(join(tmpdir(), 'framecheck-html-')), 'timeline.html');
    const trace = resolve('counterexamples/from_in_use_accepts_zero-linearizability.from_in_use.itf.json');
    expect((await cli('replay', trace, '--html', html)).code).toBe(1);
    expect(readFileSync(html, 'utf8')).toContain('<table id="timeline">');
    const dom = execFileSync(
      'chromium',
      ['--headless', '--no-sandbox', '--disable-gpu', '--dump-dom', pathToFileURL(html).href],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        timeout: 60_000,
      },
    );
    expect(dom).toMatch(/<h1 id="property">linearizability\.from_in_use \(blame: implementation\)<\/h1>/);
    const rows = [...dom.matchAll(/<tr data-step="(\d+)">/g)].map((m) => Number(m[1]));
    expect(rows).toEqual([1, 2, 3]);
    expect(dom).toContain('<td class="chg" data-before="0 meta">0 meta → 1 meta</td>');
    expect(dom).toContain('<td class="act">starts from_in_use(0): ref_count.load() -&gt; 0</td>');
  });
});
