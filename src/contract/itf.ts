/**
 * ITF (Informal Trace Format, Apalache ADR-015, what Quint reads and writes) encoding of ghost values:
 * every integer as `{"#bigint"}`, sets as `{"#set"}`, maps as `{"#map"}`, tuples as `{"#tup"}`, records
 * as objects, and absence as Quint's `Option` variant (`{"tag":"None","value":{"#tup":[]}}`): ITF has no
 * `null`.
 */

/** An ITF value: JSON without `null`. */
export type ItfValue = boolean | number | string | ItfValue[] | { [k: string]: ItfValue };

/** Quint's `None`: the unit-valued variant `None`. */
export const ITF_NONE: ItfValue = { tag: 'None', value: { '#tup': [] } };

/** Quint's `Some(v)`. */
export function itfSome(v: ItfValue): ItfValue {
  return { tag: 'Some', value: v };
}

/** `Some(toItf(v))`, or `None` for `undefined`. */
export function itfOption(v: unknown): ItfValue {
  return v === undefined ? ITF_NONE : itfSome(toItf(v));
}

/**
 * Encodes a JavaScript value as ITF JSON. `null` and `undefined` become `None` (a record field whose
 * value is `undefined` is left out, as `JSON.stringify` does); a non-integer number becomes its
 * decimal string (ITF has no floating point); functions and symbols become `{"#unserializable"}`.
 */
export function toItf(v: unknown): ItfValue {
  if (typeof v === 'bigint') return { '#bigint': v.toString() };
  if (v === undefined || v === null) return ITF_NONE;
  if (typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isSafeInteger(v) ? { '#bigint': String(v) } : String(v);
  if (v instanceof Set) return { '#set': [...v].map(toItf) };
  if (v instanceof Map) return { '#map': [...v].map(([k, x]) => [toItf(k), toItf(x)]) };
  if (Array.isArray(v)) return v.map(toItf);
  if (typeof v === 'object') {
    const out: { [k: string]: ItfValue } = {};
    for (const [k, x] of Object.entries(v as object)) if (x !== undefined) out[k] = toItf(x);
    return out;
  }
  return { '#unserializable': String(v) };
}

/**
 * Decodes ITF JSON back to JavaScript values (`#bigint` → bigint, `#set` → Set, `#map` → Map, `#tup` →
 * array; variants stay `{tag, value}` records).
 */
export function fromItf(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(fromItf);
  if (v === null || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  if (typeof o['#bigint'] === 'string') return BigInt(o['#bigint']);
  if (Array.isArray(o['#set'])) return new Set(o['#set'].map(fromItf));
  if (Array.isArray(o['#tup'])) return o['#tup'].map(fromItf);
  if (Array.isArray(o['#map']))
    return new Map((o['#map'] as [unknown, unknown][]).map(([k, x]) => [fromItf(k), fromItf(x)]));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(o)) out[k] = fromItf(x);
  return out;
}

const TAGGED = new Set(['#bigint', '#tup', '#set', '#map', '#unserializable']);

/**
 * Where `v` breaks ADR-015: `null`, a number that is not a safe integer, a malformed `#bigint`,
 * `#tup`, `#set`, `#map` or `#unserializable`, or an unknown `#` key. Each problem is a JSON path and
 * what is wrong there; none means the value is ITF. `#meta` (free-form in the ADR) is not inspected.
 */
export function itfProblems(v: unknown, path = '$'): string[] {
  if (v === null) return [`${path}: null (ITF has none)`];
  if (typeof v === 'number') return Number.isSafeInteger(v) ? [] : [`${path}: ${v} is not a safe integer`];
  if (typeof v === 'boolean' || typeof v === 'string') return [];
  if (Array.isArray(v)) return v.flatMap((x, i) => itfProblems(x, `${path}[${i}]`));
  if (typeof v !== 'object') return [`${path}: a ${typeof v} is not JSON`];
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  const tag = keys.find((k) => TAGGED.has(k));
  if (tag !== undefined) {
    const x = o[tag];
    if (keys.length !== 1) return [`${path}: ${tag} beside other keys`];
    if (tag === '#bigint')
      return typeof x === 'string' && /^-?\d+$/.test(x) ? [] : [`${path}: #bigint is not a decimal string`];
    if (tag === '#unserializable') return typeof x === 'string' ? [] : [`${path}: #unserializable is not a string`];
    if (!Array.isArray(x)) return [`${path}: ${tag} is not an array`];
    if (tag !== '#map') return x.flatMap((e, i) => itfProblems(e, `${path}.${tag}[${i}]`));
    return x.flatMap((e, i) =>
      Array.isArray(e) && e.length === 2
        ? e.flatMap((y, j) => itfProblems(y, `${path}.#map[${i}][${j}]`))
        : [`${path}.#map[${i}]: not a [key, value] pair`],
    );
  }
  return keys.flatMap((k) =>
    k === '#meta' ? [] : k.startsWith('#') ? [`${path}: unknown key ${k}`] : itfProblems(o[k], `${path}.${k}`),
  );
}

/**
 * Where a whole trace breaks ADR-015: not an object with `vars` (strings) and `states` (objects), a
 * state whose keys (besides `#meta`) are not exactly `vars`, or a value that `itfProblems` rejects.
 */
export function itfTraceProblems(trace: unknown): string[] {
  if (typeof trace !== 'object' || trace === null || Array.isArray(trace)) return ['$: not an object'];
  const t = trace as Record<string, unknown>;
  const vars = t['vars'];
  const states = t['states'];
  if (!Array.isArray(vars) || !vars.every((x) => typeof x === 'string')) return ['$.vars: not a list of names'];
  if (!Array.isArray(states)) return ['$.states: not a list'];
  const want = [...vars].sort().join(',');
  return states.flatMap((s, i) => {
    const path = `$.states[${i}]`;
    if (typeof s !== 'object' || s === null || Array.isArray(s)) return [`${path}: not an object`];
    const keys = Object.keys(s).filter((k) => k !== '#meta');
    const shape = keys.sort().join(',') === want ? [] : [`${path}: keys ${keys.join(',')} are not vars ${want}`];
    return [...shape, ...itfProblems(s, path)];
  });
}
