/**
 * The JSON memory map: `[{"base": "0x…", "len": "0x…", "type": "Usable"}, …]` with OSTD's
 * `MemoryRegionType` names. Addresses are `0x` hex strings, or JSON numbers up to 2^53 − 1 (a
 * larger number has already lost digits when JSON is read). Unknown keys are rejected, so that a
 * misspelt `length` is an error instead of a silent default.
 */
import { z } from 'zod';
import { MEMORY_REGION_TYPES, MemoryRegionType, type MemoryRegion } from '../MemoryRegion.ts';
import { parseHexU64 } from './parseHexU64.ts';
import { failAt, lengthRegion, type RegionsOrError } from './RegionsOrError.ts';
import { parseJson } from '../../jsonSyntax.ts';

function toU64(value: unknown): bigint | string {
  if (value === undefined) return 'required';
  if (typeof value === 'string') {
    const parsed = parseHexU64(value, true);
    return parsed.ok ? parsed.value : parsed.reason;
  }
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  return 'expected a "0x…" hex string or a non-negative integer below 2^53';
}

const U64 = z.unknown().transform((value, ctx) => {
  const parsed = toU64(value);
  if (typeof parsed === 'bigint') return parsed;
  ctx.addIssue({ code: 'custom', message: parsed });
  return z.NEVER;
});

const RegionTypeName = z.enum(MemoryRegionType, {
  error: (issue) =>
    `${JSON.stringify(issue.input)} is not an OSTD MemoryRegionType (${MEMORY_REGION_TYPES.join(', ')})`,
});

/** One entry of the JSON map. */
export const JsonRegion = z.strictObject({ base: U64, len: U64, type: RegionTypeName });

/** Whether `text` is meant as JSON: it opens with `{`, or with `[` that is not a dmesg timestamp. */
export function looksLikeJson(text: string): boolean {
  const start = text.trimStart();
  return start.startsWith('{') || (start.startsWith('[') && !/^\[\s*\d+\.\d+\]/.test(start));
}

/** The 1-based line on which each element of the top-level array starts (`text` is valid JSON). */
export function elementLines(text: string): number[] {
  const starts: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let expectValue = false;
  for (const ch of text) {
    if (ch === '\n') line++; // valid JSON has no raw newline inside a string
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === '"') inString = false;
      continue;
    }
    if (depth === 1 && expectValue && !/[\s\]]/.test(ch)) {
      starts.push(line);
      expectValue = false;
    }
    if (ch === '"') inString = true;
    else if (ch === '[' || ch === '{') expectValue = ++depth === 1;
    else if (ch === ']' || ch === '}') depth--;
    else if (ch === ',' && depth === 1) expectValue = true;
  }
  return starts;
}

function schemaError(text: string, issue: z.core.$ZodIssue | undefined): { ok: false; error: string } {
  const [index, ...rest] = issue?.path ?? [];
  if (typeof index !== 'number') return failAt(1, `expected a JSON array of {"base","len","type"} objects`);
  const where = rest.length > 0 ? `${rest.map(String).join('.')}: ` : '';
  return failAt(elementLines(text)[index] ?? 1, `entry ${index}: ${where}${issue?.message ?? 'invalid'}`);
}

/** Parses the JSON memory map; errors name the line on which the offending entry starts. */
export function parseJsonMap(text: string): RegionsOrError {
  const json = parseJson(text);
  if ('error' in json) return { ok: false, error: json.error };
  const parsed = z.array(JsonRegion).safeParse(json.value);
  if (!parsed.success) return schemaError(text, parsed.error.issues[0]);
  const regions: MemoryRegion[] = [];
  for (const [index, entry] of parsed.data.entries()) {
    const region = lengthRegion(entry.base, entry.len, entry.type);
    if (!region.ok) return failAt(elementLines(text)[index] ?? 1, `entry ${index}: ${region.reason}`);
    regions.push(region.region);
  }
  return { ok: true, regions };
}
