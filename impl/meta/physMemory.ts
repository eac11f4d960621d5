/**
 * Physical memory: the frames' own bytes, sparse (a page materializes on its first write), so memory
 * maps of tens of GiB cost what is touched.
 */
import { PAGE_SIZE } from './pageSize.ts';

export class PhysMemory {
  private readonly pages = new Map<number, Uint8Array>();

  /** Reads `len` bytes at physical address `paddr` (never-written bytes read as zero). */
  read(paddr: number, len: number): Uint8Array {
    const out = new Uint8Array(len);
    for (let off = 0; off < len;) {
      const page = Math.floor((paddr + off) / PAGE_SIZE);
      const inPage = (paddr + off) % PAGE_SIZE;
      const n = Math.min(len - off, PAGE_SIZE - inPage);
      const bytes = this.pages.get(page);
      if (bytes !== undefined) out.set(bytes.subarray(inPage, inPage + n), off);
      off += n;
    }
    return out;
  }

  /** Writes `data` at physical address `paddr`. */
  write(paddr: number, data: Uint8Array): void {
    for (let off = 0; off < data.length;) {
      const page = Math.floor((paddr + off) / PAGE_SIZE);
      const inPage = (paddr + off) % PAGE_SIZE;
      const n = Math.min(data.length - off, PAGE_SIZE - inPage);
      let bytes = this.pages.get(page);
      if (bytes === undefined) {
        bytes = new Uint8Array(PAGE_SIZE);
        this.pages.set(page, bytes);
      }
      bytes.set(data.subarray(off, off + n), inPage);
      off += n;
    }
  }

  /** Zeroes `len` bytes at `paddr` (a never-written page is already zero and stays unmaterialized). */
  fill0(paddr: number, len: number): void {
    for (let page = Math.floor(paddr / PAGE_SIZE); page * PAGE_SIZE < paddr + len; page++) {
      const bytes = this.pages.get(page);
      if (bytes === undefined) continue;
      const lo = Math.max(paddr, page * PAGE_SIZE) - page * PAGE_SIZE;
      const hi = Math.min(paddr + len, (page + 1) * PAGE_SIZE) - page * PAGE_SIZE;
      bytes.fill(0, lo, hi);
    }
  }

  /** The number of pages materialized. */
  get residentPages(): number {
    return this.pages.size;
  }
}

/**
 * `VmReader<Infallible>`: a cursor over `[start, start + len)` of physical memory (what `on_drop` gets, a
 * reader over the frame). `cursor` and `end` are the reader's two pointers (physical addresses here; the
 * kernel's reader holds their linear-mapping virtual addresses); `read` consumes bytes from the cursor.
 */
export class VmReader {
  /** Where the reader's range starts (its `VirtPtr`s' ghost range is `[start, start + len)`). */
  readonly paddr: number;
  readonly len: number;
  cursor: number;
  end: number;
  private readonly mem: PhysMemory;

  constructor(mem: PhysMemory, paddr: number, len: number) {
    this.mem = mem;
    this.paddr = paddr;
    this.len = len;
    this.cursor = paddr;
    this.end = paddr + len;
  }

  /** `VmReader::remain`: the bytes left between the cursor and the end. */
  remain(): number {
    return this.end - this.cursor;
  }

  /** Reads up to `n` bytes at the cursor (no more than `remain()`), advancing the cursor past them. */
  readBytes(n: number): Uint8Array {
    const k = Math.max(0, Math.min(n, this.remain()));
    const out = this.mem.read(this.cursor, k);
    this.cursor += k;
    return out;
  }

  /** Reads `n` bytes at `offset` from the start of the range without moving the cursor (clamped to the range). */
  read(offset: number, n: number): Uint8Array {
    return this.mem.read(this.paddr + offset, Math.max(0, Math.min(n, this.len - offset)));
  }
}

/** A reader over `len` bytes of physical memory at `paddr`. */
export function vmReader(mem: PhysMemory, paddr: number, len: number): VmReader {
  return new VmReader(mem, paddr, len);
}
