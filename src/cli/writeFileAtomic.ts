/**
 * The one way a command writes a file: a temporary sibling, then a rename, so that a reader never
 * sees half a file; every failure (a directory in the way, a missing parent, a read-only or pseudo
 * file system) is a one-line `UsageError` "cannot write PATH: REASON" and leaves nothing behind.
 */
import { mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { UsageError } from './args.ts';

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'its directory does not exist',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'it is a directory',
  EEXIST: 'a file is in the way',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENAMETOOLONG: 'the name is too long',
  EINVAL: 'the file system does not take this name',
  ELOOP: 'too many symbolic links',
};

/** The user-facing reason for a file-system error. */
function reasonOf(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code !== undefined) return REASONS[code] ?? code;
  return e instanceof Error ? e.message : String(e);
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Writes `data` to `file` atomically; bad paths become a `UsageError` naming `file`. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  if (isDirectory(file)) throw new UsageError(`cannot write ${file}: it is a directory`);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, data, { flag: 'wx' });
    renameSync(tmp, file);
  } catch (e) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // Nothing was created where the file system refuses even a removal.
    }
    throw new UsageError(`cannot write ${file}: ${reasonOf(e)}`);
  }
}

/**
 * Creates `dir` and its missing parents, one level at a time: Node's own recursive mkdir loops
 * forever where a pseudo file system (/proc) refuses a new entry with ENOENT.
 */
function makeDirs(dir: string): void {
  if (isDirectory(dir)) return;
  const parent = dirname(dir);
  if (parent !== dir) makeDirs(parent);
  mkdirSync(dir);
}

/** Creates the output directory `dir` (and its parents); a file in the way is a `UsageError`. */
export function outputDir(dir: string): string {
  try {
    makeDirs(dir);
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no directory can be created there' : reasonOf(e);
    throw new UsageError(`cannot write ${dir}: ${why}`);
  }
  if (!isDirectory(dir)) throw new UsageError(`cannot write ${dir}: it is not a directory`);
  return dir;
}
