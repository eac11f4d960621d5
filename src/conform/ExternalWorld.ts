/**
 * The explorer's world with a conformance module's operations in place of framecheck's frame layer:
 * the same replay memory, region view and allocator, so every check of the explorer (slot invariant
 * in every state and inside steps, accounting, the sequential spec at each linearization point,
 * `may_panic`, livelocks) applies to the module unchanged.
 *
 * `World.run` is mirrored here because `World` builds its own frame layer; a constructor option on
 * `World` for the layer would remove the copy.
 */
import { abort } from '../../impl/meta/abort.ts';
import { KernelMeta, unit, UnitMeta } from '../../impl/meta/frameMeta.ts';
import type { FrameOpName } from '../../spec/protocol/FrameProtocol.ts';
import { PAGE_SIZE } from '../../spec/vocab.ts';
import type { Instance } from '../check/instance.ts';
import { usesAlloc, World, type OpReturn } from '../check/world.ts';
import { ExternalLayer } from './adapters.ts';
import type { ImplementationModule } from './Implementation.ts';

/** An explorer world running `module`. */
export class ExternalWorld extends World {
  readonly ext: ExternalLayer;

  constructor(inst: Instance, module: ImplementationModule) {
    super(inst);
    const managed = usesAlloc(inst);
    const dealloc = (paddr: number, size: number) => (managed ? this.allocator.dealloc(paddr, size) : undefined);
    this.ext = new ExternalLayer(this.region, { dealloc }, module);
  }

  /** Runs operation `op` on frame `f` through the module (under replay). */
  override run(op: FrameOpName, f: number): OpReturn {
    const L = this.ext;
    const paddr = f * PAGE_SIZE;
    const res = (r: number | string) => ({ result: typeof r === 'number' ? 'ok' : r, frame: f });
    switch (op) {
      case 'from_unused':
        return res(L.fromUnused(paddr, unit(KernelMeta)));
      case 'from_unused_unique':
        return res(L.uniqueFromUnused(paddr, unit(KernelMeta)));
      case 'from_in_use':
        return res(L.fromInUse(paddr));
      case 'clone':
        return (L.clone(f), res('ok'));
      case 'drop':
        return res(L.drop(f) ? 'ok:last' : 'ok');
      case 'into_shared':
        return (L.intoShared(f), res('ok'));
      case 'try_into_unique':
        return res(L.tryIntoUnique(f) ? 'ok' : 'InUse');
      case 'drop_unique':
        return (L.dropUnique(f), res('ok:last'));
      case 'alloc': {
        const p = this.allocator.alloc();
        if (p === undefined) return { result: 'NoMemory', frame: -1 };
        const r = L.fromUnused(p, unit(UnitMeta));
        if (typeof r !== 'number') abort('unwrap_failed', `alloc_frame: Frame::from_unused(${p}) failed with ${r}`);
        return { result: 'ok', frame: p / PAGE_SIZE };
      }
    }
  }
}
