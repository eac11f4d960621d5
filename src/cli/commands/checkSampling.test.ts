/** `check --strategy random|pct` within `--max-states`: a bound on the steps over all runs, exit 3. */
import { describe, expect, it } from 'vitest';
import { cliIn } from '../../../test/cli.ts';

const run = cliIn();
const SMALL = 'check --frames 1 --threads 2 --depth 2 --runs 40 --seed 3 --json'.split(' ');

describe('framecheck check --strategy random|pct --max-states', () => {
  it.each(['random', 'pct'])('--strategy %s stops at N steps with exit 3 and its partial statistics', async (name) => {
    const all = await run(...SMALL, '--strategy', name);
    expect(all.code).toBe(0);
    const steps = (JSON.parse(all.out[0]!) as { steps: number }).steps;
    const bound = String(Math.floor(steps / 3));
    const r = await run(...SMALL, '--strategy', name, '--max-states', bound);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.out[0]!)).toMatchObject({
      verdict: 'incomplete',
      interrupted: true,
      reason: `--max-states ${bound} reached`,
      strategy: name === 'pct' ? 'pct(d=3)' : 'random',
      steps: Number(bound),
    });
  });
});
