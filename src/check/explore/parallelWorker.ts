/**
 * A thread of the parallel search: expands the slices of each level the coordinator sends it, with
 * its own store, into the shared fingerprint table; posts what it found, then bumps the shared
 * counter the coordinator waits on.
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import type { Instance } from '../instance.ts';
import { LevelExpander } from './LevelExpander.ts';
import { SharedFingerprints } from './SharedFingerprints.ts';
import { CTL_DONE, CTL_STOP, type Slice } from './parallel.ts';

type Data = { inst: Instance; table: SharedArrayBuffer; ctl: SharedArrayBuffer; port: MessagePort; bound: number };

const data = workerData as Data;
const ctl = new Int32Array(data.ctl);
const expander = new LevelExpander(data.inst, new SharedFingerprints(data.table), undefined, data.bound);
// Kernel aborts are outcomes here, thrown on many paths: their stack traces would dominate the run.
Error.stackTraceLimit = 0;

data.port.on('message', (m: Slice | 'exit') => {
  if (m === 'exit') {
    data.port.close();
    return;
  }
  const r = expander.expand(m.states, m.indices, m.level, () => Atomics.load(ctl, CTL_STOP) !== 0);
  data.port.postMessage(r);
  Atomics.add(ctl, CTL_DONE, 1);
  Atomics.notify(ctl, CTL_DONE);
});
