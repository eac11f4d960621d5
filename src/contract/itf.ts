/**
 * ITF (Informal Trace Format, Apalache ADR-015) encoding of ghost values: bigints as `{"#bigint"}`,
 * sets as `{"#set"}`, maps as `{"#map"}`, records as objects.
 */
export type ItfValue = null | boolean | number | string | ItfValue[] | { [k: string]: ItfValue };

/** Encodes a JavaScript value as ITF JSON. */
export function toItf(v: unknown): ItfValue {
  if (typeof v === 'bigint') return { '#bigint': v.toString() };
  if (v === undefined) return { '#unserializable': 'undefined' };
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isSafeInteger(v) ? { '#bigint': String(v) } : String(v);
  if (v instanceof Set) return { '#set': [...v].map(toItf) };
  if (v instanceof Map) return { '#map': [...v].map(([k, x]) => [toItf(k), toItf(x)]) };
  if (Array.isArray(v)) return v.map(toItf);
  if (typeof v === 'object') {
    const out: { [k: string]: ItfValue } = {};
    for (const [k, x] of Object.entries(v as object)) out[k] = toItf(x);
    return out;
  }
  return { '#unserializable': String(v) };
}

/** Decodes ITF JSON back to JavaScript values (`#bigint` → bigint, `#set` → Set, `#map` → Map). */
export function fromItf(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(fromItf);
  if (v === null || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  if (typeof o['#bigint'] === 'string') return BigInt(o['#bigint']);
  if (Array.isArray(o['#set'])) return new Set(o['#set'].map(fromItf));
  if (Array.isArray(o['#map']))
    return new Map((o['#map'] as [unknown, unknown][]).map(([k, x]) => [fromItf(k), fromItf(x)]));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(o)) out[k] = fromItf(x);
  return out;
}
