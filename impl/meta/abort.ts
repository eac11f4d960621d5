/**
 * `ostd::panic::abort()`: the kernel stops. It is an outcome of its own, not an exception of the
 * implementation: the checker recognizes a `KernelAbort` and asks the spec whether the operation was
 * allowed to abort there (Verus `may_panic`).
 */
export type AbortReason = 'ref_count_overflow' | 'unwrap_failed' | 'assertion_failed' | 'list_id_exhausted';

export class KernelAbort extends Error {
  override readonly name = 'KernelAbort';
  readonly reason: AbortReason;

  constructor(reason: AbortReason, detail: string) {
    super(`kernel abort (${reason}): ${detail}`);
    this.reason = reason;
  }
}

/** Aborts the kernel. */
export function abort(reason: AbortReason, detail: string): never {
  throw new KernelAbort(reason, detail);
}
