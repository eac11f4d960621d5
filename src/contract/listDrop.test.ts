/**
 * `Drop for LinkedList` checked as one call against `drop_requires`/`drop_ensures`, under the seed's
 * table and HEAD's: the implementation's drop meets every clause; a drop that forgets its frames is
 * caught only by the refinement and the accounting (docs/findings.md F35), one that leaves them listed by
 * `list_empty` too.
 */
import { describe, expect, it } from 'vitest';
import { link, LinkedList, type ListIdAllocator } from '../../impl/frame/LinkedList.ts';
import type { FrameLayer } from '../../impl/frame/Frame.ts';
import type { SpecVersion } from '../../spec/head/registry.ts';
import { CheckedFrameLayer } from './CheckedFrameLayer.ts';

const PAGE = 4096;

/** A list implementation whose drop is `drop` (the rest upstream's). */
const withDrop = (drop: (l: LinkedList) => void) => (layer: FrameLayer, ids: ListIdAllocator) => {
  const l = new LinkedList(layer, ids);
  l.drop = () => drop(l);
  return l;
};

/** Two unique frames pushed into a list, the list dropped; the clauses reported. */
function dropTwo(spec: SpecVersion, makeList?: ReturnType<typeof withDrop>): string[] {
  const l = new CheckedFrameLayer({
    maxPaddr: 8 * PAGE,
    mode: 'collect',
    spec,
    ...(makeList !== undefined && { makeList }),
  });
  const list = l.newList();
  for (const f of [1, 3]) {
    const u = l.uniqueFromUnused(f * PAGE, link(BigInt(f)));
    if (typeof u === 'string') throw new Error(u);
    list.pushFront(u);
  }
  list.drop();
  return [...new Set(l.violations.map((v) => v.clause))].sort();
}

const forgets = withDrop((l) => {
  const c = l.cursorFrontMut();
  while (c.takeCurrent() !== null);
});
const keepsListed = withDrop((l) => {
  const slots = [];
  const c = l.cursorFrontMut();
  while (c.current !== null) (slots.push(c.current), c.moveNext());
  for (const s of slots) l.layer.dropUnique(s);
});

describe.each(['seed', 'head'] as const)('LinkedList::drop under --spec %s', (spec) => {
  it('the implementation meets every clause', () => {
    expect(dropTwo(spec)).toEqual([]);
  });

  it('a drop that forgets its frames breaks no drop_ensures clause: only the refinement and the accounting', () => {
    expect(dropTwo(spec, forgets)).toEqual(['LinkedList::drop.refinement', 'accounting.unique_owned']);
  });

  it('a drop that leaves its frames listed breaks list_empty', () => {
    expect(dropTwo(spec, keepsListed)).toContain('LinkedList::drop.ensures.list_empty');
  });
});
