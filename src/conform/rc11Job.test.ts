import { describe, expect, test } from 'vitest';
import { cliIn } from '../../test/cli.ts';

const run = cliIn();
const rc11Job = async (impl: string) => {
  const r = await run('conform', '--impl', impl, '--memory-model', 'rc11', '--json');
  const report = JSON.parse(r.out[0]!);
  return { code: r.code, job: report.jobs.find((j: { job: string }) => j.job === 'explore-rc11') };
};

describe('conform --memory-model rc11', () => {
  test("the legacy protocol's orderings pass every RC11 instance it can run", async () => {
    const { code, job } = await rc11Job('framecheck:legacy');
    expect(code).toBe(0);
    expect(job.verdict).toBe('pass');
  });
  test("the current protocol with upstream's orderings fails on the conversion to unique (docs/findings.md F27)", async () => {
    const { code, job } = await rc11Job('framecheck:current');
    expect(code).toBe(1);
    expect(job.summary).toBe("data_race on 'shared, converted to unique' under RC11");
    expect(job.details[0]).toMatch(/T0 UniqueFrame::meta_mut\(frame 0\): plain write meta\[0\]/);
  });
  test('a missing acquire fence in Frame::drop fails on the first instance', async () => {
    const { job } = await rc11Job('framecheck:mutant/drop_fence_removed');
    expect(job.summary).toBe("data_race on 'claim, acquire, two drops' under RC11");
  });
  test('without the flag there is no RC11 job', async () => {
    const r = await run('conform', '--impl', 'framecheck:legacy', '--json');
    expect(JSON.parse(r.out[0]!).jobs.map((j: { job: string }) => j.job)).toEqual(['contracts', 'model', 'explore']);
  });
});
