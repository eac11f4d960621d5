/**
 * conform's contracts job under `--spec head`: the scenarios run through a checked layer evaluating vostd
 * HEAD's clauses: the real implementation breaks none, and every mutant the seed table catches HEAD's catches.
 */
import { describe, expect, it } from 'vitest';
import { conformMutants, framecheckImplementation } from './builtin.ts';
import { runContractSuite } from './contractSuite.ts';
import { Guard } from './guard.ts';

const notCaller = (r: ReturnType<typeof runContractSuite>) => r.findings.filter((f) => f.blame !== 'caller');

describe('the contract suite under spec head', () => {
  it.each(['current', 'legacy'] as const)('the real implementation (%s) breaks no HEAD clause', (protocol) => {
    const r = runContractSuite(framecheckImplementation(protocol), 'head');
    expect(r.scenarios).toBeGreaterThan(0);
    expect(notCaller(r)).toEqual([]);
  });

  it('every conform mutant the seed suite blames, the HEAD suite blames too, and only those', () => {
    const guarded = (m?: Parameters<typeof framecheckImplementation>[1]) =>
      new Guard().wrap(framecheckImplementation('current', m));
    const verdicts = conformMutants().map((m) => ({
      m: m.name,
      seed: notCaller(runContractSuite(guarded(m), 'seed')).length > 0,
      head: notCaller(runContractSuite(guarded(m), 'head')).length > 0,
    }));
    expect(verdicts.filter((v) => v.seed !== v.head)).toEqual([]);
    expect(verdicts.filter((v) => v.head).length).toBeGreaterThan(5);
  });
});
