/**
 * A model-based test of segments: ranges of frames claimed, cloned, dropped, split and sliced (at
 * valid offsets and at edge ones: unaligned, negative, past the end, near 2^64). After every command
 * each frame's count must be the number of live segments covering it, and each live segment must
 * cover exactly its model range; a split or slice the spec rejects must abort.
 */
import fc from 'fast-check';
import { FrameLayer } from '../../impl/frame/Frame.ts';
import { Segment } from '../../impl/frame/Segment.ts';
import { KernelAbort } from '../../impl/meta/abort.ts';
import { unit, UnitMeta } from '../../impl/meta/frameMeta.ts';
import { Ordering } from '../../impl/meta/memory.ts';
import { MetaRegion } from '../../impl/meta/MetaSlot.ts';
import { PAGE_SIZE } from '../../spec/vocab.ts';
import type { Mutant, SegmentOps } from '../mutants/catalog.ts';
import { REAL_SEGMENT_OPS } from '../mutants/structureMutants.ts';
import { AccessGuard } from './AccessGuard.ts';
import {
  assertReport,
  command,
  modelCheck,
  ModelMismatch,
  type ModelTestReport,
  type RunOptions,
} from './modelCheck.ts';

/** What a segment test runs: a replacement of `slice` or `split` (default: the real ones). */
export type SegmentSubject = Pick<Mutant, 'segment'>;

type Live = { seg: Segment<null>; start: number; end: number };
type Model = { live: Live[]; frames: number; halted: boolean };
type Real = { region: MetaRegion; layer: FrameLayer; ops: SegmentOps };

const P = PAGE_SIZE;
const fail = (msg: string): never => {
  throw new ModelMismatch(msg);
};
const aligned = (x: number) => Number.isSafeInteger(x) && x >= 0 && x % P === 0;

function verify(m: Model, r: Real, what: string): void {
  for (let f = 0; f < m.frames; f++) {
    const n = m.live.filter((l) => l.start <= f * P && f * P < l.end).length;
    const want = n === 0 ? r.region.REF_COUNT_UNUSED : BigInt(n);
    const got = r.region.mem.load(f * r.region.layout.wordsPerSlot + r.region.layout.refCount, Ordering.Relaxed);
    if (got !== want) fail(`after ${what}: frame ${f} has count ${got}; ${n} live segment(s) cover it`);
  }
  for (const l of m.live)
    if (l.seg.startPaddr !== l.start || l.seg.endPaddr !== l.end)
      fail(
        `after ${what}: a segment covers ${l.seg.startPaddr}..${l.seg.endPaddr}; the model has ${l.start}..${l.end}`,
      );
}

/** Runs `body`; an abort is expected exactly when `aborts`, and halts the model. */
function guarded(m: Model, what: string, aborts: boolean, body: () => void): void {
  try {
    body();
  } catch (e) {
    if (e instanceof KernelAbort && aborts) return void (m.halted = true);
    fail(`${what} threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  }
  if (aborts) fail(`${what} returned, where the spec asserts (an invalid range must abort)`);
}

/** Offsets, in bytes, for a segment of `size` bytes: mostly valid, sometimes not. */
const offsetArb = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -1, max: 5 }).map((k) => k * P) },
  { weight: 1, arbitrary: fc.constantFrom(P / 2, -P, 2 ** 64 - P, 2 ** 64, Number.MAX_SAFE_INTEGER) },
);

function cmd(
  name: string,
  check: (m: Readonly<Model>) => boolean,
  body: (m: Model, r: Real) => void,
): fc.Command<Model, Real> {
  return command<Model, Real>(
    () => name,
    (m) => !m.halted && check(m),
    (m, r) => {
      body(m, r);
      if (!m.halted) verify(m, r, name);
    },
  );
}

const pick = (m: Readonly<Model>, k: number) => m.live[k % m.live.length]!;

function claim(m: Model, r: Real, first: number, n: number): void {
  const start = first * P;
  const end = Math.min(first + n, m.frames) * P;
  const free = !m.live.some((l) => l.start < end && start < l.end);
  const seg = Segment.fromUnused(r.layer, { start, end }, () => unit(UnitMeta));
  if ((typeof seg !== 'string') !== free)
    fail(
      `from_unused(${start}..${end}) ${typeof seg === 'string' ? `failed with ${seg}` : 'succeeded'}; the frames are ${free ? '' : 'not '}all unused`,
    );
  if (typeof seg !== 'string') m.live.push({ seg, start, end });
}

function split(m: Model, r: Real, k: number, offset: number): void {
  const l = pick(m, k);
  const ok = aligned(offset) && 0 < offset && offset < l.end - l.start;
  guarded(m, `split(${offset})`, !ok, () => {
    const [a, b] = r.ops.split(l.seg, offset);
    m.live.splice(
      m.live.indexOf(l),
      1,
      { seg: a, start: l.start, end: l.start + offset },
      { seg: b, start: l.start + offset, end: l.end },
    );
  });
}

function slice(m: Model, r: Real, k: number, from: number, to: number): void {
  const l = pick(m, k);
  const ok = aligned(from) && aligned(to) && from <= to && to <= l.end - l.start;
  guarded(
    m,
    `slice(${from}..${to})`,
    !ok,
    () =>
      void m.live.push({ seg: r.ops.slice(l.seg, { start: from, end: to }), start: l.start + from, end: l.start + to }),
  );
}

function commands(frames: number): fc.Arbitrary<fc.Command<Model, Real>>[] {
  const k = fc.nat(7);
  const some = (m: Readonly<Model>) => m.live.length > 0;
  return [
    fc.tuple(fc.nat(frames - 1), fc.integer({ min: 1, max: 3 })).map(([f, n]) =>
      cmd(
        `from_unused(${f},${n})`,
        () => true,
        (m, r) => claim(m, r, f, n),
      ),
    ),
    k.map((j) => cmd(`clone(#${j})`, some, (m) => void m.live.push({ ...pick(m, j), seg: pick(m, j).seg.clone() }))),
    k.map((j) =>
      cmd(`drop(#${j})`, some, (m) => {
        const l = m.live.splice(j % m.live.length, 1)[0]!;
        l.seg.drop();
      }),
    ),
    fc.tuple(k, offsetArb).map(([j, off]) => cmd(`split(#${j},${off})`, some, (m, r) => split(m, r, j, off))),
    fc
      .tuple(k, offsetArb, offsetArb)
      .map(([j, a, b]) => cmd(`slice(#${j},${a}..${b})`, some, (m, r) => slice(m, r, j, a, b))),
  ];
}

/** Runs the model-based test of segments over `frames` frames (default 6). */
export function checkSegments(
  subject: SegmentSubject = {},
  o: RunOptions & Readonly<{ frames?: number }> = {},
): ModelTestReport {
  const frames = o.frames ?? 6;
  const setup = () => {
    const guard = new AccessGuard();
    const region = new MetaRegion({ maxPaddr: frames * P, wrapMemory: (mem) => guard.wrap(mem) });
    const ops = subject.segment ? subject.segment(REAL_SEGMENT_OPS) : REAL_SEGMENT_OPS;
    return { model: { live: [], frames, halted: false }, real: { region, layer: new FrameLayer(region), ops } };
  };
  return modelCheck(commands(frames), setup, o);
}

/** As `checkSegments`, throwing with the shrunk counterexample. */
export function assertSegments(subject: SegmentSubject = {}, o: RunOptions & Readonly<{ frames?: number }> = {}): void {
  assertReport(checkSegments(subject, o), 'segments disagree with their model');
}
