/**
 * What a boot simulation returns, and the largest physical address space it simulates.
 */

/** The largest physical address simulated: 64 GiB (the buddy allocator alone takes 9 bytes per frame). */
export const MAX_BOOT_PADDR = 64 * 2 ** 30;

/** An accounting, or a one-line reason the map cannot be simulated (bad input, exit 2). */
export type BootResult<A> = { ok: true; accounting: A } | { ok: false; error: string };
