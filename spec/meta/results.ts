/**
 * Spec-side results: `Result<T, GetFrameError>` as a tagged value.
 */
import type { GetFrameError } from '../vocab.ts';

export type Res<T> = Readonly<{ ok: true; value: T }> | Readonly<{ ok: false; error: GetFrameError }>;

/** `Ok(value)`. */
export function ok<T>(value: T): Res<T> {
  return Object.freeze({ ok: true, value });
}

/** `Err(error)`. */
export function err<T = never>(error: GetFrameError): Res<T> {
  return Object.freeze({ ok: false, error });
}
