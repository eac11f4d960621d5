/**
 * vostd HEAD's contracts of `CursorMut<M>` (`ostd/src/mm/frame/linked_list.rs`, `impl CursorMut`),
 * clause by clause: `move_next`, `move_prev`, `current_meta`, `take_current`, `insert_before`.
 *
 * What HEAD changed (each text below is HEAD's, read side by side with the seed's):
 * - `CursorOwner::inv_region(regions)` is now `wf_with_region(regions)` (same two conjuncts, over HEAD's
 *   `relate_region`: the slot's `in_list_perm` carries the list id, `meta_wf_at` replaces `MetaSlot::wf`,
 *   `spec/head/LinkedListOwner.ts`); the seed's `inv_region` clauses are renamed `wf_with_region`.
 * - The model equations speak of the owner's view: `owner.move_next_owner_spec()@ == owner@.move_next_spec()`,
 *   `final(owner)@ == old(owner)@.remove()` and `final(owner)@ == old(owner)@.insert(…)` (the seed said
 *   `final(self).model(…)`); the predicates are the same `CursorModel` equations.
 * - `take_current` names the returned pair as `res->0` and the slot fields `in_list_perm`, `slot_vaddr`,
 *   `index_to_meta`, `meta_to_index`; `=~=` became `==` (the model compares extensionally either way).
 * - `insert_before`'s id clauses speak of `list_own.list_id`.
 * - `move_next`/`move_prev` require `owner.wf_with_region(*regions)` and `old(self).wf_region(owner, *regions)`
 *   of an owner passed by value (the seed wrote `old(owner)`).
 *
 * @see vostd b5b972861 `ostd/src/mm/frame/linked_list.rs`, `ostd/specs/mm/frame/linked_list/linked_list_owners.rs`
 */
import type { ClauseNote, OpSpec, PostCtx, PreCtx } from '../Op.ts';
import { note } from '../meta/clause.ts';
import {
  CURSOR_NOTES,
  cursorCurrentMeta,
  cursorInsertBefore,
  cursorMoveNext,
  TAKE_OWNER_INV_WHY,
  cursorMovePrev,
  cursorTakeCurrent,
} from '../frame/CursorMut.ts';
import { moveNextOwnerSpec, movePrevOwnerSpec, type CursorOwner } from '../frame/LinkedListOwner.ts';
import type { CursorState } from '../frame/listMachine.ts';
import type { SpecVersion } from '../axioms/trustedBase.ts';
import { headCursorWfWithRegion } from './LinkedListOwner.ts';
import { headNote, reword, seedTexts } from './reword.ts';

const every = (parts: Readonly<Record<string, boolean>>): boolean => Object.values(parts).every(Boolean);
const wfWith = (o: CursorOwner, s: CursorState) => every(headCursorWfWithRegion(o, s.regions));

/**
 * The HEAD twin of cursor op `seed`: the seed's texts but `changed` (keys relative to the op), every
 * `inv_region` clause renamed `wf_with_region` over HEAD's relate_region (`owner` names the owner the
 * HEAD clause is stated of, `owner` of the post-state by default).
 */
function headCursor<A, R>(
  seed: OpSpec<CursorState, A, R>,
  changed: Readonly<Record<string, string>>,
  ensuresOwner: (c: PostCtx<CursorState, A, R>) => CursorOwner | null = (c) => c.final.owner,
): OpSpec<CursorState, A, R> {
  const texts = seedTexts(seed);
  // A HEAD text for a seed clause kept as a note (`CURSOR_NOTES`) goes to HEAD's notes instead.
  for (const [k, v] of Object.entries(changed)) if (`${seed.name}.${k}` in texts) texts[`${seed.name}.${k}`] = v;
  const req = `${seed.name}.requires.inv_region`;
  const ens = `${seed.name}.ensures.inv_region`;
  const hasEns = ens in texts;
  return reword(seed, {
    texts,
    renames: {
      [req]: `${seed.name}.requires.wf_with_region`,
      ...(hasEns && { [ens]: `${seed.name}.ensures.wf_with_region` }),
    },
    requiresHolds: { [req]: (c: PreCtx<CursorState, A>) => wfWith(c.old.owner, c.old) },
    ...(hasEns && {
      ensuresHolds: {
        [ens]: (c: PostCtx<CursorState, A, R>) => {
          const o = ensuresOwner(c);
          return o === null || wfWith(o, c.final);
        },
      },
    }),
  });
}

const moveTexts = (spec: 'move_next' | 'move_prev') => ({
  'requires.inv_region': 'owner.wf_with_region(*regions)',
  'requires.wf_region': 'old(self).wf_region(owner, *regions)',
  'ensures.model': `owner.${spec}_owner_spec()@ == owner@.${spec}_spec()`,
  'ensures.inv_region': `owner.${spec}_owner_spec().wf_with_region(*regions)`,
});
/** The owner a move's ensures speak of: `owner.move_*_owner_spec()` over the unchanged region. */
const movedOwner =
  (f: (o: CursorOwner) => CursorOwner) =>
  (c: PostCtx<CursorState, unknown, unknown>): CursorOwner =>
    f(c.old.owner);

/**
 * HEAD's cursor and list ensures kept as notes where the seed table keeps them as notes: `take_current`'s
 * `res_wf` and `owner_inv` and the three `paddr_kept` (both sides built from one slot by the checked list
 * layer, under either table), and the `move_next`/`move_prev` ensures that read only the old cursor owner
 * and `*regions` (taken by shared reference) — lemmas about the spec functions, true whenever the requires hold.
 */
export const HEAD_CURSOR_NOTES: readonly ClauseNote[] = [
  headNote(CURSOR_NOTES, 'CursorMut::take_current.ensures.res_wf', 'res.is_some() ==> (res->0).0.wf((res->0).1@)'),
  note('CursorMut::take_current.ensures.owner_inv', 'res.is_some() ==> (res->0).1@.inv()', TAKE_OWNER_INV_WHY),
  // `linked_list.rs`: the ensures of `push_front`, `push_back` and `insert_before`, in the seed's words.
  ...['LinkedList::push_front', 'LinkedList::push_back', 'CursorMut::insert_before'].map((op) =>
    headNote(
      CURSOR_NOTES,
      `${op}.ensures.paddr_kept`,
      'final(frame_own).meta_own.paddr == old(frame_own).meta_own.paddr',
    ),
  ),
  ...(['move_next', 'move_prev'] as const).flatMap((op) => {
    const seed = op === 'move_next' ? cursorMoveNext : cursorMovePrev;
    const texts = moveTexts(op);
    const has = (k: string) => seed.ensures.some((c) => c.name === `${seed.name}.${k}`);
    return [
      ...(has('ensures.model')
        ? []
        : [
            note(
              `${seed.name}.ensures.model`,
              texts['ensures.model'],
              `\`owner@\` is the old owner's view: both sides are functions of the old owner (\`${op}_owner_spec\` and \`${op}_spec\` commute, checked in spec/frame/LinkedListOwner.test.ts); no body and no proof code of the move can make it false`,
            ),
          ]),
      ...(has('ensures.inv_region')
        ? []
        : [
            note(
              `${seed.name}.ensures.wf_with_region`,
              texts['ensures.inv_region'],
              `a function of the old owner and of \`*regions\` (shared): it follows from the requires \`owner.wf_with_region(*regions)\` (the index stays in 0..=len), whatever the move does`,
            ),
          ]),
    ];
  }),
];

/** `CursorMut::move_next()` with `Tracked(owner)`, `Tracked(regions)`. */
export const headCursorMoveNext = headCursor(cursorMoveNext, moveTexts('move_next'), movedOwner(moveNextOwnerSpec));
/** `CursorMut::move_prev()` with `Tracked(owner)`, `Tracked(regions)`. */
export const headCursorMovePrev = headCursor(cursorMovePrev, moveTexts('move_prev'), movedOwner(movePrevOwnerSpec));

const WITH_OLD = 'old(owner).wf_with_region(*old(regions))';

/** `CursorMut::current_meta()` with `Tracked(owner)`, `Tracked(regions)` (`&'b mut` both). */
export const headCursorCurrentMeta = headCursor(
  cursorCurrentMeta,
  {
    'requires.inv_region': WITH_OLD,
    'ensures.domains':
      'final(regions).slots.dom() == old(regions).slots.dom(), final(regions).slot_owners.dom() == old(regions).slot_owners.dom()',
  },
  () => null,
);

/** `CursorMut::take_current()` with `Tracked(regions)`, `Tracked(owner)`. */
export const headCursorTakeCurrent = headCursor(
  cursorTakeCurrent,
  {
    'requires.inv_region': WITH_OLD,
    'ensures.model_meta': 'res.is_some() ==> (res->0).1@@.meta == old(owner).list_own.list[old(owner).index]@',
    'ensures.model': 'res.is_some() ==> final(owner)@ == old(owner)@.remove()',
    'ensures.frame_link_inv': 'res.is_some() ==> (res->0).1@.frame_link_inv(*final(regions))',
    'ensures.inv_region': 'res.is_some() ==> final(owner).wf_with_region(*final(regions))',
    'ensures.none_owner': 'res.is_none() ==> *final(owner) == *old(owner)',
    'ensures.taken_slot':
      'res.is_some() ==> let idx = meta_to_index(old(self).current->0.addr()): slots.dom() kept, slot_owners[idx].ref_count() == REF_COUNT_UNIQUE, in_list_perm.value() == 0, storage_perm() and vtable_ptr_perm() init, slot_vaddr == index_to_meta(idx), paths_in_pt kept',
    'ensures.others_kept':
      'res.is_some() ==> forall|j| j != meta_to_index(old(self).current->0.addr()) ==> usage, slot_vaddr and paths_in_pt of slot_owners[j] unchanged',
    'ensures.none_regions': 'res.is_none() ==> *final(regions) == *old(regions)',
    'ensures.slot_index': 'res.is_some() ==> (res->0).1@.slot_index == meta_to_index(old(self).current->0.addr())',
    'ensures.ptr': 'res.is_some() ==> (res->0).0.ptr.addr() == old(self).current->0.addr()',
    'ensures.obligations':
      'res.is_some() ==> final(regions).frame_obligations == old(regions).frame_obligations.insert(meta_to_index(old(self).current->0.addr()))',
  },
  (c) => (c.result === null ? null : c.final.owner),
);

/** `CursorMut::insert_before(frame)` with `Tracked(regions)`, `Tracked(owner)`, `Tracked(frame_own)`. */
export const headCursorInsertBefore = headCursor(cursorInsertBefore, {
  'requires.inv_region': WITH_OLD,
  'ensures.inv_region': 'final(owner).wf_with_region(*final(regions))',
  'ensures.model': 'final(owner)@ == old(owner)@.insert(final(frame_own).meta_own@)',
  'ensures.id_preserved':
    'old(owner).list_own.list_id != 0 ==> final(owner).list_own.list_id == old(owner).list_own.list_id',
  'ensures.id_nonzero': 'final(owner).list_own.list_id != 0',
  'ensures.in_list': 'final(frame_own).meta_own.in_list == final(owner).list_own.list_id',
});

/** Every HEAD `CursorMut` op spec, in the seed's order. */
export const HEAD_CURSOR_OPS = [
  headCursorMoveNext,
  headCursorMovePrev,
  headCursorCurrentMeta,
  headCursorTakeCurrent,
  headCursorInsertBefore,
] as const;

/** The `CursorMut` op specs of one spec version, as the checked cursor runs them. */
export type CursorOpTable = Readonly<{
  moveNext: typeof cursorMoveNext;
  movePrev: typeof cursorMovePrev;
  currentMeta: typeof cursorCurrentMeta;
  takeCurrent: typeof cursorTakeCurrent;
  insertBefore: typeof cursorInsertBefore;
}>;

const SEED: CursorOpTable = Object.freeze({
  moveNext: cursorMoveNext,
  movePrev: cursorMovePrev,
  currentMeta: cursorCurrentMeta,
  takeCurrent: cursorTakeCurrent,
  insertBefore: cursorInsertBefore,
});
const HEAD: CursorOpTable = Object.freeze({
  moveNext: headCursorMoveNext,
  movePrev: headCursorMovePrev,
  currentMeta: headCursorCurrentMeta,
  takeCurrent: headCursorTakeCurrent,
  insertBefore: headCursorInsertBefore,
});

/** The `CursorMut` op specs of `spec`. */
export function cursorOpsOf(spec: SpecVersion): CursorOpTable {
  return spec === 'head' ? HEAD : SEED;
}
