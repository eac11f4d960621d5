/** `PAGE_SIZE` on x86-64 (impl/ does not import spec/; the two constants are checked equal by a test). */
export const PAGE_SIZE = 4096;
/** `META_SLOT_SIZE`: `size_of::<MetaSlot>()`. */
export const META_SLOT_SIZE = 64;
