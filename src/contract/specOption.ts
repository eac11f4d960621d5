/**
 * Which vostd contract table the checked builds evaluate: the seed era's (`1bd29df43`, the default) or
 * vostd HEAD's (`b5b972861`), as the `spec` option or `FRAMECHECK_SPEC=seed|head`.
 */
import { SPEC_VERSIONS, type SpecVersion } from '../../spec/head/registry.ts';
import { getFromInUse, getFromUnused, getSlot } from '../../spec/meta/MetaSlot.ts';
import { dropLastInPlace, dropMetaInPlace, framePaddr, incRefCount, writeMeta } from '../../spec/meta/MetaSlotOps.ts';
import {
  headDropLastInPlace,
  headDropMetaInPlace,
  headFramePaddr,
  headGetFromInUse,
  headGetFromUnused,
  headGetSlot,
  headIncRefCount,
  headWriteMeta,
} from '../../spec/head/MetaSlot.ts';

export type { SpecVersion };

/** An unknown spec version: the value is named in the message. */
export class SpecVersionError extends Error {
  readonly value: string;
  constructor(value: string, where: string) {
    super(`${where}: unknown spec version '${value}' (expected ${SPEC_VERSIONS.join(' or ')})`);
    this.name = 'SpecVersionError';
    this.value = value;
  }
}

/**
 * The spec version `FRAMECHECK_SPEC` asks for: `seed` when unset or empty; `seed` or `head` as written;
 * anything else throws a `SpecVersionError` naming the value (never a silent fallback).
 */
export function specFromEnv(value: string | undefined): SpecVersion {
  if (value === undefined || value === '') return 'seed';
  if (value === 'seed' || value === 'head') return value;
  throw new SpecVersionError(value, 'FRAMECHECK_SPEC');
}

/** The op specs of `meta.rs` the checked MetaSlot layer runs, one table per spec version. */
export type MetaOpTable = Readonly<{
  getSlot: typeof getSlot;
  getFromUnused: typeof getFromUnused;
  getFromInUse: typeof getFromInUse;
  incRefCount: typeof incRefCount;
  framePaddr: typeof framePaddr;
  writeMeta: typeof writeMeta;
  dropLastInPlace: typeof dropLastInPlace;
  dropMetaInPlace: typeof dropMetaInPlace;
}>;

const SEED_TABLE: MetaOpTable = Object.freeze({
  getSlot,
  getFromUnused,
  getFromInUse,
  incRefCount,
  framePaddr,
  writeMeta,
  dropLastInPlace,
  dropMetaInPlace,
});

const HEAD_TABLE: MetaOpTable = Object.freeze({
  getSlot: headGetSlot,
  getFromUnused: headGetFromUnused,
  getFromInUse: headGetFromInUse,
  incRefCount: headIncRefCount,
  framePaddr: headFramePaddr,
  writeMeta: headWriteMeta,
  dropLastInPlace: headDropLastInPlace,
  dropMetaInPlace: headDropMetaInPlace,
});

/** The `meta.rs` op specs of `spec`. */
export function metaOpsOf(spec: SpecVersion): MetaOpTable {
  return spec === 'head' ? HEAD_TABLE : SEED_TABLE;
}
