/**
 * Ctrl-C as a flag that long jobs poll beside their time and state limits. The process entry
 * (`cli()` in entry.ts) runs the command on a worker thread and sets the flag from its SIGINT handler,
 * since a synchronous search would never let a handler on its own thread run. A command that polls
 * the flag (`Command.interruptible`) stops with partial statistics and exits 3.
 */
let cell = new Int32Array(new SharedArrayBuffer(4));

/** The shared memory holding the flag, to hand to the thread that runs the command. */
export function interruptBuffer(): SharedArrayBuffer {
  return cell.buffer as SharedArrayBuffer;
}

/** Makes this thread read (and set) the flag in `buffer`, shared with the thread that gets the signal. */
export function useInterruptBuffer(buffer: SharedArrayBuffer): void {
  cell = new Int32Array(buffer);
}

/** Requests that the running job stop at its next limit check. */
export function interrupt(): void {
  Atomics.store(cell, 0, 1);
}

/** Clears a request (for a process that runs several jobs, such as a test). */
export function clearInterrupt(): void {
  Atomics.store(cell, 0, 0);
}

/** Whether a stop was requested: the hook to pass as a job's `interrupted` limit. */
export function interrupted(): boolean {
  return Atomics.load(cell, 0) !== 0;
}
