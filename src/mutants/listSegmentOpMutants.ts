/**
 * Seeded bugs in the two structure operations the explorer runs as operations of their own: `Drop for
 * LinkedList` (`list_drop`) and `Segment::split` (`segment_split`). The list variants override one
 * method of `LinkedList`; the split variant replaces `Segment::split`. Each entry names the smallest
 * instance on which `framecheck check` kills it.
 */
import { LinkedList } from '../../impl/frame/LinkedList.ts';
import { Segment } from '../../impl/frame/Segment.ts';
import { abort } from '../../impl/meta/abort.ts';
import { PAGE_SIZE } from '../../impl/meta/pageSize.ts';
import { OP } from '../../spec/protocol/FrameProtocol.ts';
import type { Mutant } from './catalog.ts';

/**
 * `Drop for LinkedList` that forgets the frames it takes out (`core::mem::forget` of each `take_current`
 * result instead of dropping it): every frame the list held stays `REF_COUNT_UNIQUE` with no owner.
 */
export class ListDropForgetsFrames extends LinkedList {
  override drop(): void {
    const cursor = this.cursorFrontMut();
    while (cursor.takeCurrent() !== null);
  }
}

/**
 * `Drop for LinkedList` that walks the list without taking the frames out (`move_next` and a drop of
 * each `UniqueFrame::from_raw`): each frame is released with its `in_list` still naming the list.
 */
export class ListDropKeepsInList extends LinkedList {
  override drop(): void {
    const cursor = this.cursorFrontMut();
    for (let f = cursor.current; f !== null; f = cursor.current) {
      cursor.moveNext();
      this.layer.dropUnique(f);
    }
    this.front = this.back = null;
    this.length = 0;
  }
}

/**
 * `Segment::split` without `ManuallyDrop::new(self)`: the two halves are built from the range (after
 * upstream's asserts), and the consumed segment is then dropped at the end of the scope, releasing the
 * references the halves own. Written against the segment's public surface, as the catalog's other
 * split variant is: the contracts engine installs it as `Segment.prototype.split`.
 */
export function splitDropsSelf<M>(seg: Segment<M>, offset: number): [Segment<M>, Segment<M>] {
  const size = seg.size;
  if (!Number.isSafeInteger(offset) || offset % PAGE_SIZE !== 0)
    abort('assertion_failed', `Segment::split: offset ${offset} is not page aligned`);
  if (!(0 < offset && offset < size)) abort('assertion_failed', `Segment::split: offset ${offset} not in 0..${size}`);
  const { start, end } = seg.forget();
  const halves: [Segment<M>, Segment<M>] = [
    Segment.fromRaw<M>(seg.layer, { start, end: start + offset }),
    Segment.fromRaw<M>(seg.layer, { start: start + offset, end }),
  ];
  Segment.fromRaw<M>(seg.layer, { start, end }).drop();
  return halves;
}

/** A check instance: `frames` frames, one fixed program per thread. */
const fixed = (frames: number, ...programs: (readonly string[])[]) =>
  `--frames ${frames} --threads ${programs.length} --program "${programs.map((p, t) => `${t}:${p.join(',')}`).join(';')}"`;

/** The mutants of `list_drop` and `segment_split`, in catalog order. */
export const LIST_SEGMENT_OP_MUTANTS: readonly Mutant[] = [
  {
    name: 'list_drop_forgets_frames',
    description:
      'Drop for LinkedList forgets each frame it takes out instead of dropping it: the frames stay REF_COUNT_UNIQUE, owned by no one',
    target: 'list',
    list: (l, ids) => new ListDropForgetsFrames(l, ids),
    instance: fixed(1, [OP.from_unused_unique, OP.list_drop]),
    missing: {
      op: 'LinkedList::drop',
      fact: "every frame the list held is released (REF_COUNT_UNUSED): vostd's drop_ensures says the list is empty and constrains only the slots outside it, so a drop that leaks every frame satisfies it",
    },
  },
  {
    name: 'list_drop_keeps_in_list',
    description:
      "Drop for LinkedList drops each frame without taking it out of the list: a released slot keeps the list's id in in_list",
    target: 'list',
    list: (l, ids) => new ListDropKeepsInList(l, ids),
    instance: fixed(1, [OP.from_unused_unique, OP.list_drop]),
    missing: {
      op: 'LinkedList::drop',
      fact: "every frame the list held leaves it with in_list == 0 before it is dropped: framecheck mirrors no contract of LinkedList::drop; the seed's drop_ensures constrains the listed slots only through s1.1.inv(), whose slot invariant (REF_COUNT_UNUSED ==> in_list == 0) the explorer reports",
      inVostd: true,
    },
  },
  {
    name: 'segment_split_drops_self',
    description:
      'Segment::split without ManuallyDrop: the consumed segment is dropped after the halves are built, releasing the references they own',
    target: 'segment',
    segment: (base) => ({ ...base, split: splitDropsSelf }),
    instance: fixed(2, [`${OP.from_unused}@0`, `${OP.from_unused}@1`, `${OP.segment_split}@0`]),
  },
];
