import { describe, expect, it } from 'vitest';
import { conformMutants, framecheckImplementation, builtinModule } from './builtin.ts';
import { asModule, conform } from './conform.ts';
import type { ImplementationOptions } from './Implementation.ts';
import { MUTANTS } from '../mutants/mutants.ts';
import { UPSTREAM_OP_MUTANTS } from '../mutants/upstreamOpMutants.ts';
import { ORDERING_MUTANTS } from '../mutants/orderingMutants.ts';

const verdicts = (r: ReturnType<typeof conform>) => Object.fromEntries(r.jobs.map((j) => [j.job, j.verdict]));

describe('conform on framecheck itself', () => {
  it.each(['current', 'legacy'] as const)('the real implementation (%s protocol) conforms in every job', (protocol) => {
    const r = conform(framecheckImplementation(protocol), { runs: 100 });
    expect(r).toMatchObject({ implementation: `framecheck:${protocol}`, protocol, verdict: 'conforms' });
    expect(verdicts(r)).toEqual({ contracts: 'pass', model: 'pass', explore: 'pass' });
  });
  it('every mutant of the MetaSlot and Frame layers fails (but the weak-memory ones, invisible to sequentially consistent engines)', () => {
    const ms = conformMutants();
    // conform runs the region and frame-layer mutants (the explorer's and the simulator's kind), the
    // ordering mutants among them; list, segment and allocator mutants belong to other engines
    const layers = MUTANTS.filter((m) => m.target === 'meta-slot' || m.target === 'frame');
    expect(ms.map((m) => m.name)).toEqual(layers.map((m) => m.name));
    expect(ms.map((m) => m.name)).toEqual(expect.arrayContaining(ORDERING_MUTANTS.map((m) => m.name)));
    expect(ms.map((m) => m.name)).toEqual(
      expect.arrayContaining(['from_in_use_accepts_zero', 'dealloc_before_reset', 'drop_relaxed_decrement']),
    );
    const survivors = ms
      .filter((m) => conform(framecheckImplementation('current', m), { runs: 50 }).verdict !== 'fails')
      .map((m) => m.name);
    // conform has no weak-memory job yet, and its jobs do not run the upstream operations the explorer
    // added (inc_frame_ref_count, borrow, …), and an internal wrong step no result shows is beyond any
    // black-box job: those mutants survive it, and only those
    const upstream = new Set(UPSTREAM_OP_MUTANTS.map((m) => m.name));
    expect(survivors).toEqual(
      ms.filter((m) => m.weakMemory === true || upstream.has(m.name) || m.internal !== undefined).map((m) => m.name),
    );
    expect(survivors).toEqual(expect.arrayContaining(ORDERING_MUTANTS.map((m) => m.name)));
  });
  it('reports where a concurrency bug shows: only the explorer sees a claim racing an acquire, with a timeline', () => {
    const r = conform(
      framecheckImplementation(
        'current',
        conformMutants().find((m) => m.name === 'from_in_use_accepts_zero'),
      ),
      { runs: 50 },
    );
    expect(verdicts(r)).toEqual({ contracts: 'pass', model: 'pass', explore: 'fail' });
    const details = r.jobs[2]!.details.join('\n');
    expect(details).toContain('linearizability.from_in_use');
    expect(details).toContain('step');
  });
  it('names the built-ins', () => {
    expect(builtinModule('framecheck:mutant/nope')).toMatchObject({
      error: expect.stringContaining("unknown built-in implementation 'framecheck:mutant/nope'"),
    });
    expect(builtinModule('framecheck:mutant/dealloc_before_reset')).toMatchObject({
      name: 'framecheck:mutant/dealloc_before_reset',
    });
  });
});

describe('conform refuses a module of the wrong shape', () => {
  const real = framecheckImplementation('current');
  it.each([
    ['not an object', 42, /module: .*expected object/],
    ['no createImplementation', { create: () => ({}) }, /^createImplementation: must be a function/],
    ['an unknown protocol', { ...real, protocol: 'future' }, /^protocol: must be current or legacy/],
    [
      'operations missing',
      {
        createImplementation: (o: ImplementationOptions) => ({
          ...real.createImplementation(o),
          dropUnique: undefined,
        }),
      },
      /returned no dropUnique \(the current protocol needs/,
    ],
    [
      'a constructor that throws',
      {
        createImplementation: () => {
          throw new Error('boom');
        },
      },
      /createImplementation threw Error: boom/,
    ],
  ])('%s', (_, mod, want) => {
    const r = asModule(mod, 'm.js');
    expect('error' in r && r.error).toMatch(want);
  });
  it('accepts a default export', () => {
    expect(asModule({ default: real }, 'm.js')).toMatchObject({ name: 'framecheck:current' });
  });
});
