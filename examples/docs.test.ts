/**
 * What the README and docs/findings.md say a command prints is what it prints: each snippet is
 * compared with the command run in-process (timings and output paths aside).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliIn } from '../test/cli.ts';

const root = join(import.meta.dirname, '..');
const run = cliIn(() => root);
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const findings = readFileSync(join(root, 'docs/findings.md'), 'utf8');
const out = mkdtempSync(join(tmpdir(), 'framecheck-docs-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** The fenced block of `text` that follows the first occurrence of `marker`. */
function blockAfter(text: string, marker: string): string[] {
  const at = text.indexOf(marker);
  expect(at).toBeGreaterThanOrEqual(0);
  const m = /```[a-z]*\n([\s\S]*?)```/.exec(text.slice(at));
  return m![1]!.trimEnd().split('\n');
}

/** Command lines split into words (no quoting in the snippets). */
const words = (line: string): string[] => line.trim().split(/\s+/);

const seconds = (lines: readonly string[]) => lines.map((l) => l.replace(/\(\d+\.\d+ s\)/g, '(… s)'));

describe('README.md', () => {
  it('every command of "File formats and sample files" exits as its comment says', async () => {
    const lines = blockAfter(readme, '### File formats and sample files');
    expect(lines.length).toBeGreaterThanOrEqual(6);
    for (const line of lines) {
      const [command, comment] = line.split('#');
      const [npx, fc, ...argv] = words(command!);
      expect([npx, fc]).toEqual(['npx', 'framecheck']);
      const r = await run(...argv);
      expect({ line, err: r.err, code: r.code }).toEqual({
        line,
        err: [],
        code: Number(/exit (\d)/.exec(comment!)![1]),
      });
    }
  });

  it('the counterexample of "Reading a counterexample" is what `check` prints', async () => {
    const section = readme.slice(readme.indexOf('### Reading a counterexample'));
    const command = /`npx framecheck (check [^`]+)`/.exec(section)![1]!.replaceAll('"', '');
    const printed = blockAfter(section, 'prints:');
    const r = await run(...words(command), '--out', out);
    expect(r.code).toBe(1);
    expect(r.out.slice(0, printed.length)).toEqual(printed);
  });

  it('the conform example prints what `framecheck conform` prints on examples/closureFrames', async () => {
    const [command, ...printed] = blockAfter(readme, 'Run it:');
    expect(command).toBe('npm run build');
    expect(printed[0]).toBe('node bin/framecheck.js conform --impl dist/examples/closureFrames.js');
    const r = await run('conform', '--impl', 'examples/closureFrames.ts');
    expect(r.code).toBe(0);
    expect(seconds(r.out)).toEqual(seconds(printed.slice(1)));
  });
});

describe('docs/findings.md', () => {
  it("F11's trace is what its command prints", async () => {
    const section = findings.slice(findings.indexOf('## F11.'));
    const command = /`npx framecheck (check [^`]+)`/.exec(section)![1]!;
    const printed = blockAfter(section, 'It prints:');
    const r = await run(...words(command), '--out', out);
    expect(r.code).toBe(1);
    expect(r.out.map((l) => l.replaceAll(out, 'counterexamples'))).toEqual(printed);
  });
});
