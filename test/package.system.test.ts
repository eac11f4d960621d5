/**
 * The package as its users get it: `npm pack` of this checkout, installed from the tarball into a
 * temporary consumer project (its dependencies from the npm registry or npm's cache), then every
 * entry point imported, the bin run, a strict TypeScript consumer type-checked and run, and `prove`
 * without the optional `z3-solver`. Needs npm with the registry or a warm cache; fails saying so.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingTool, requireTools } from './systemTools.ts';

const ROOT = resolve(import.meta.dirname, '..');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  exports: Record<string, string | Record<string, string>>;
  bin: Record<string, string>;
};

type Packed = Readonly<{ filename: string; size: number; files: readonly { path: string }[] }>;

let work = '';
let consumer = '';
let packed: Packed;

/** Runs `cmd` in `cwd`; a failure becomes one line with the command and the first line of its output. */
function run(cmd: string, args: readonly string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 26, timeout: 480_000 });
  if (r.status === 0) return r.stdout;
  const why =
    `${r.stderr}\n${r.stdout}`
      .trim()
      .split('\n')
      .find((l) => /err|fail|cannot/i.test(l)) ?? '';
  const e = new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status}): ${why}`);
  e.stack = `Error: ${e.message}`;
  throw e;
}

/** The entry points' runtime files: `exports` (every condition) and `bin`. */
function entryFiles(): string[] {
  const targets = Object.values(pkg.exports).flatMap((t) => (typeof t === 'string' ? [t] : Object.values(t)));
  return [...new Set(targets.map((t) => t.replace(/^\.\//, '')))];
}

beforeAll(() => {
  requireTools(
    missingTool('npm', ['--version'], 'install Node.js with npm'),
    existsSync(TSC) ? undefined : 'typescript not found in node_modules: npm ci',
  );
  work = mkdtempSync(join(tmpdir(), 'framecheck-pack-'));
  // Pack a copy of the checkout (its prepack empties dist/ and rebuilds it; the checkout's own stays).
  const copy = join(work, 'framecheck');
  const skip = new Set(['node_modules', 'dist', '.git', '.framecheck', 'coverage']);
  cpSync(ROOT, copy, { recursive: true, filter: (src) => src === ROOT || !skip.has(basename(src)) });
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
  const out = run('npm', ['pack', '--pack-destination', work, '--json', '--silent'], copy);
  packed = (JSON.parse(out.slice(out.indexOf('['))) as Packed[])[0]!;
  consumer = join(work, 'consumer');
  mkdirSync(consumer);
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  try {
    run(
      'npm',
      ['install', join(work, packed.filename), '@types/node@20', '--no-audit', '--no-fund', '--prefer-offline'],
      consumer,
    );
  } catch (e) {
    requireTools(
      `npm install of the packed tarball failed (needs the npm registry or its cache): ${(e as Error).message}`,
    );
  }
});

afterAll(() => {
  if (work !== '') rmSync(work, { recursive: true, force: true });
});

describe('the packed tarball', () => {
  it('ships dist/ with declarations for every entry point, the bin, README and LICENSE', () => {
    const paths = new Set(packed.files.map((f) => f.path));
    for (const f of entryFiles()) {
      expect(paths, f).toContain(f);
      expect(paths, f.replace(/\.js$/, '.d.ts')).toContain(f.replace(/\.js$/, '.d.ts'));
    }
    for (const f of Object.values(pkg.bin)) expect(paths).toContain(f);
    expect(paths).toContain('README.md');
    expect(paths).toContain('LICENSE');
    expect(readFileSync(join(consumer, 'node_modules', 'framecheck', 'LICENSE'), 'utf8')).toMatch(
      /^Mozilla Public License Version 2\.0/,
    );
  });

  it('ships no tests, benchmarks, CI files or sources', () => {
    const bad = packed.files
      .map((f) => f.path)
      .filter(
        (p) =>
          /\.test\./.test(p) ||
          /(^|\/)(bench|test|\.ci)\//.test(p) ||
          (p.endsWith('.ts') && !p.endsWith('.d.ts')) ||
          p.endsWith('.map'),
      );
    expect(bad).toEqual([]);
    // What it weighed when the allow-list was written: about 0.5 MB packed; bench/ and tests would double it.
    expect(packed.size).toBeLessThan(1_000_000);
  });

  it('makes z3-solver optional', () => {
    const installed = JSON.parse(
      readFileSync(join(consumer, 'node_modules', 'framecheck', 'package.json'), 'utf8'),
    ) as {
      dependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
    };
    expect(Object.keys(installed.dependencies ?? {})).not.toContain('z3-solver');
    expect(Object.keys(installed.optionalDependencies ?? {})).toContain('z3-solver');
  });
});

describe('an installed framecheck', () => {
  it.each(['framecheck', 'framecheck/checked', 'framecheck/testing', 'framecheck/spec'])('imports %s', (spec) => {
    const out = run(
      'node',
      ['--input-type=module', '-e', `const m = await import('${spec}'); console.log(Object.keys(m).length);`],
      consumer,
    );
    expect(Number(out.trim())).toBeGreaterThan(3);
  });

  it('resolves the checked build under the development condition', () => {
    const probe = `const m = await import('framecheck'); console.log(m.createMetaRegion({ maxPaddr: 8192 }).constructor.name);`;
    expect(run('node', ['--input-type=module', '-e', probe], consumer).trim()).toBe('MetaRegion');
    expect(run('node', ['--conditions=development', '--input-type=module', '-e', probe], consumer).trim()).toBe(
      'CheckedMetaRegion',
    );
  });

  it('runs npx framecheck --help', () => {
    const out = run('npx', ['--no-install', 'framecheck', '--help'], consumer);
    expect(out).toMatch(/^usage: framecheck <command>/m);
    expect(out).toMatch(/^ {2}check /m);
  });

  it('type-checks and runs a strict TypeScript consumer of the interface types and the checked and testing APIs', () => {
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'es2023',
          lib: ['es2023'],
          module: 'nodenext',
          types: ['node'],
          strict: true,
          exactOptionalPropertyTypes: true,
          noUncheckedIndexedAccess: true,
          skipLibCheck: false,
          outDir: 'out',
        },
        files: ['consumer.ts'],
      }),
    );
    writeFileSync(
      join(consumer, 'consumer.ts'),
      `import type { FrameOps, ImplementationModule, ImplementationOptions, Memory, Ordering } from 'framecheck';
import { CheckedMetaRegion, createMetaRegion, ContractViolation } from 'framecheck/checked';
import { checkFrameLayer, type ModelTestReport } from 'framecheck/testing';
import { vocab } from 'framecheck/spec';

export const factory: ImplementationModule['createImplementation'] = (o: ImplementationOptions): FrameOps => {
  const memory: Memory = o.memory;
  const relaxed: Ordering = 0;
  void memory;
  void relaxed;
  throw new Error('not used');
};

const region: CheckedMetaRegion = createMetaRegion({ maxPaddr: 4 * 4096 });
const slot = region.getSlot(4096);
const report: ModelTestReport = checkFrameLayer({}, { numRuns: 20, seed: 1 });
console.log(JSON.stringify({ slot: typeof slot, ok: report.ok, violation: typeof ContractViolation, vocab: typeof vocab }));
`,
    );
    run('node', [TSC, '-p', 'tsconfig.json'], consumer);
    const out = JSON.parse(run('node', [join('out', 'consumer.js')], consumer)) as Record<string, unknown>;
    expect(out).toEqual({ slot: 'number', ok: true, violation: 'function', vocab: 'object' });
  });

  it('says how to install z3-solver when prove runs without it (exit 2, one line)', () => {
    const z3 = join(consumer, 'node_modules', 'z3-solver');
    expect(existsSync(z3)).toBe(true);
    rmSync(z3, { recursive: true, force: true });
    const r = spawnSync(join(consumer, 'node_modules', '.bin', 'framecheck'), ['prove'], {
      cwd: consumer,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect({ status: r.status, stderr: r.stderr, stdout: r.stdout }).toEqual({
      status: 2,
      stderr: 'framecheck: z3-solver is not installed: npm install z3-solver\n',
      stdout: '',
    });
  });
});
