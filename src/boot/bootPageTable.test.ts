import { describe, expect, it } from 'vitest';
import { BootPageTable } from './bootPageTable.ts';

describe('BootPageTable', () => {
  it('counts pages by purpose and finds overlapping runs', () => {
    const pt = new BootPageTable();
    pt.mapBasePages('linear', 0x1000_0000n, 0, 16);
    pt.mapBasePages('meta', 0x2000_0000n, 0x10_0000, 4);
    pt.mapBasePages('meta', 0x2000_4000n, 0x10_4000, 0);
    expect([pt.pagesFor('linear'), pt.pagesFor('meta'), pt.overlaps()]).toEqual([16, 4, []]);
    pt.mapBasePages('meta', 0x1000_f000n, 0x20_0000, 1);
    expect(pt.overlaps()).toEqual(['boot page table: the linear and meta mappings overlap at 0x1000f000']);
  });
});
