/**
 * `simulate --scenario buddy-stress`: DragonOS's `test_buddy` (`src/boot/buddyStress.ts`), each round
 * allocating random power-of-two blocks through the real buddy allocator and frame layer, filling them,
 * freeing most at random and the rest at the end, with every double handout, changed byte, refused free
 * and unreturned frame reported.
 */
import { buddyStress, type BuddyStressStats } from '../boot/buddyStress.ts';

export type BuddyScenarioOptions = Readonly<{ seed: number; rounds: number; mib: number }>;

export type BuddyScenarioResult = Readonly<{
  verdict: 'ok' | 'violation';
  stats: BuddyStressStats;
  seconds: number;
  allocationsPerSecond: number;
}>;

/** Runs the stress. */
export function buddyScenario(o: BuddyScenarioOptions): BuddyScenarioResult {
  const t0 = performance.now();
  const stats = buddyStress({ seed: o.seed, rounds: o.rounds, totalBytes: o.mib * 2 ** 20 });
  const seconds = (performance.now() - t0) / 1000;
  const verdict = stats.violations.length === 0 && stats.rounds === o.rounds ? 'ok' : 'violation';
  return {
    verdict,
    stats,
    seconds,
    allocationsPerSecond: seconds > 0 ? Math.round(stats.allocations / seconds) : stats.allocations,
  };
}
