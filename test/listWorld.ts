/** A list ghost for spec tests: `n` unique `Link` frames and an empty list with no id yet. */
import { initialRegion, type MetaRegionOwners } from '../spec/meta/MetaRegionOwners.ts';
import type { ModelParams } from '../spec/vocab.ts';
import { PAGE_SIZE } from '../spec/vocab.ts';
import { linkFrameOwnerAt } from '../spec/frame/LinkedListOwner.ts';
import { listState, type ListState } from '../spec/frame/listMachine.ts';
import { uniqueAt, uniqueFromUnused } from '../spec/frame/UniqueFrame.ts';

/** `n` unique `Link` frames at `0, PAGE_SIZE, ..` and an empty list (`list_id == 0`, next id 1). */
export function listWorld(n: number, p: ModelParams): ListState {
  let r: MetaRegionOwners = initialRegion(p);
  for (let i = 0; i < n; i++) {
    const out = uniqueFromUnused.next({
      old: r,
      args: { paddr: i * PAGE_SIZE, metadata: { type: 'Link', fields: { next: null, prev: null, meta: 0n } } },
      p,
    });
    if (out.kind === 'return') r = out.final;
  }
  return listState(r, { front: null, back: null, size: 0, listId: 0n }, 1n);
}

/** The arguments inserting frame `i` of `s`: its unique handle and tracked owner. */
export const insertArgs = (s: ListState, i: number) => ({
  unique: uniqueAt(i * PAGE_SIZE),
  frameOwn: linkFrameOwnerAt(s.regions, i),
});
