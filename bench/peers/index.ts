/**
 * Where the peer models live: `bench/peers/<peer>/` in this repository (also when run from `dist/`).
 * The tests and benchmarks read the peers only through these paths.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The project's root: the nearest folder above this file with a package.json (also from dist/). */
export function projectRoot(): string {
  let dir = import.meta.dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** The folder of one peer model (`spin`, `quint`, `fast-check`, `tlc`, `hypothesis`). */
export function peerDir(peer: 'spin' | 'quint' | 'fast-check' | 'tlc' | 'hypothesis'): string {
  return join(projectRoot(), 'bench', 'peers', peer);
}
