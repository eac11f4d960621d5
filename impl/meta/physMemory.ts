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

/** `VmReader<Infallible>` over a frame: what `on_drop` gets. */
export type VmReader = Readonly<{ paddr: number; len: number; read: (offset: number, len: number) => Uint8Array }>;

/** A reader over `len` bytes of physical memory at `paddr`. */
export function vmReader(mem: PhysMemory, paddr: number, len: number): VmReader {
  return Object.freeze({
    paddr,
    len,
    read: (offset: number, n: number) => mem.read(paddr + offset, Math.min(n, len - offset)),
  });
}
