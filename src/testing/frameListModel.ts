/**
 * A model-based test of frame lists: unique frames with `Link` metadata are claimed, pushed to either
 * end, popped, looked up and dropped; after every command the list's order (walked with a cursor), its
 * size and every frame's `in_list` (the list's id inside, 0 outside) must match a plain array.
 */
import fc from 'fast-check';
import { FrameLayer } from '../../impl/frame/Frame.ts';
import { link, LinkedList, ListIdAllocator } from '../../impl/frame/LinkedList.ts';
import { MetaRegion } from '../../impl/meta/MetaSlot.ts';
import { PAGE_SIZE } from '../../spec/vocab.ts';
import type { Mutant } from '../mutants/catalog.ts';
import { AccessGuard } from './AccessGuard.ts';
import {
  assertReport,
  command,
  modelCheck,
  ModelMismatch,
  type ModelTestReport,
  type RunOptions,
} from './modelCheck.ts';

/** What a list test runs: a list factory (default: the real `LinkedList`). */
export type ListSubject = Pick<Mutant, 'list'>;

type Model = { list: number[]; outside: number[]; frames: number };
type Real = { region: MetaRegion; layer: FrameLayer; list: LinkedList };

const fail = (msg: string): never => {
  throw new ModelMismatch(msg);
};

function build(subject: ListSubject, frames: number): Real {
  const guard = new AccessGuard();
  const region = new MetaRegion({ maxPaddr: frames * PAGE_SIZE, wrapMemory: (m) => guard.wrap(m) });
  const layer = new FrameLayer(region);
  const ids = new ListIdAllocator();
  return { region, layer, list: subject.list ? subject.list(layer, ids) : new LinkedList(layer, ids) };
}

/** The list front to back, walked with a cursor (at most `frames + 1` moves). */
function walk(r: Real, frames: number): number[] {
  const c = r.list.cursorFrontMut();
  const out: number[] = [];
  for (let k = 0; c.current !== null && k <= frames; k++, c.moveNext()) out.push(c.current);
  return out;
}

function verify(m: Model, r: Real, what: string): void {
  const got = walk(r, m.frames);
  if (got.join() !== m.list.join())
    fail(`after ${what}: the list is [${got.join(', ')}]; the model has [${m.list.join(', ')}]`);
  if (r.list.size() !== m.list.length)
    fail(`after ${what}: size() is ${r.list.size()}; the model has ${m.list.length}`);
  for (let f = 0; f < m.frames; f++) {
    const want = m.list.includes(f) ? r.list.listId : 0n;
    if (r.region.inList(f) !== want)
      fail(`after ${what}: frame ${f} has in_list ${r.region.inList(f)}; expected ${want}`);
  }
}

/** A command that runs `body` and then checks the whole list. */
function cmd(
  name: () => string,
  check: (m: Readonly<Model>) => boolean,
  body: (m: Model, r: Real) => void,
): fc.Command<Model, Real> {
  return command<Model, Real>(name, check, (m, r) => {
    try {
      body(m, r);
    } catch (e) {
      if (e instanceof ModelMismatch) throw e;
      fail(`${name()} threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    }
    verify(m, r, name());
  });
}

const take = (xs: number[], k: number) => xs.splice(k % xs.length, 1)[0]!;

function commands(frames: number): fc.Arbitrary<fc.Command<Model, Real>>[] {
  const f = fc.nat(frames - 1);
  const k = fc.nat(7);
  const unused = (m: Readonly<Model>, i: number) => !m.list.includes(i) && !m.outside.includes(i);
  return [
    f.map((i) =>
      cmd(
        () => `claim(${i})`,
        (m) => unused(m, i),
        (m, r) =>
          void (r.layer.uniqueFromUnused(i * PAGE_SIZE, link(BigInt(i))) === i
            ? m.outside.push(i)
            : fail(`claim(${i}) failed`)),
      ),
    ),
    fc.tuple(k, fc.boolean()).map(([j, back]) =>
      cmd(
        () => `push_${back ? 'back' : 'front'}(#${j})`,
        (m) => m.outside.length > 0,
        (m, r) => {
          const x = take(m.outside, j);
          if (back) (r.list.pushBack(x), m.list.push(x));
          else (r.list.pushFront(x), m.list.unshift(x));
        },
      ),
    ),
    fc.boolean().map((back) =>
      cmd(
        () => `pop_${back ? 'back' : 'front'}`,
        () => true,
        (m, r) => {
          const got = back ? r.list.popBack() : r.list.popFront();
          const want = (back ? m.list.pop() : m.list.shift()) ?? null;
          if (got !== want) fail(`pop_${back ? 'back' : 'front'} returned ${got}; the model pops ${want}`);
          if (want !== null) m.outside.push(want);
        },
      ),
    ),
    f.map((i) =>
      cmd(
        () => `contains(${i})`,
        () => true,
        (m, r) =>
          void (
            r.list.contains(i * PAGE_SIZE) !== m.list.includes(i) && fail(`contains(${i}) is ${!m.list.includes(i)}`)
          ),
      ),
    ),
    k.map((j) =>
      cmd(
        () => `drop(#${j})`,
        (m) => m.outside.length > 0,
        (m, r) => r.layer.dropUnique(take(m.outside, j)),
      ),
    ),
  ];
}

/** Runs the model-based test of a frame list over `frames` frames (default 4). */
export function checkFrameList(
  subject: ListSubject = {},
  o: RunOptions & Readonly<{ frames?: number }> = {},
): ModelTestReport {
  const frames = o.frames ?? 4;
  return modelCheck(
    commands(frames),
    () => ({ model: { list: [], outside: [], frames }, real: build(subject, frames) }),
    o,
  );
}

/** As `checkFrameList`, throwing with the shrunk counterexample. */
export function assertFrameList(subject: ListSubject = {}, o: RunOptions & Readonly<{ frames?: number }> = {}): void {
  assertReport(checkFrameList(subject, o), 'the frame list disagrees with its model');
}
