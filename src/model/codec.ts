/**
 * The canonical, bit-packed encoding of a kernel state: what the checker stores, hashes and compares.
 *
 * Canonical slots (shared/bench/core-model.md "Canonical slots"): folio slots are renumbered 0, 1, 2, ...
 * in order of first reference, scanning mm 0's PTEs, mm 1's, ..., then the pins (kept sorted by the pin
 * code itself). Two states that differ only in slot names therefore encode identically, and the encoding is
 * injective on canonical states: `decode(encode(k))` is `k` with its slots renamed. A used slot that nothing
 * references (a leak) is kept, after the referenced ones, so that no invariant loses sight of it.
 *
 * Fields are packed at widths derived from the bounds; a value that does not fit (a counter gone negative or
 * beyond any reachable value) throws `EncodingOverflow`, which the checker reports as a model error rather
 * than silently merging states.
 */
import type { Config } from './config.js';
import { FOLIO_HEAD_WORDS, type Layout, PAGE_WORDS, PTE_WORDS } from './views.js';

/** Bits needed to hold 0..max. */
export function bitsFor(max: number): number {
  let b = 0;
  while (max >>> b !== 0) b++;
  return b;
}

export class EncodingOverflow extends Error {
  readonly field: string;
  readonly value: number;
  readonly bits: number;
  constructor(field: string, value: number, bits: number) {
    super(`state field ${field} = ${value} does not fit its ${bits}-bit encoding`);
    this.name = 'EncodingOverflow';
    this.field = field;
    this.value = value;
    this.bits = bits;
  }
}

/** `v` if it fits in `bits` bits; otherwise the state cannot be encoded and the run must say so. */
function bounded(v: number, bits: number, field: string): number {
  if (bits < 32 ? v >>> bits !== 0 : v < 0) throw new EncodingOverflow(field, v, bits);
  return v;
}

/** Offset of the signed tuple counter in its field. */
const TUPLE_BIAS = 128;
const TUPLE_BITS = 8;

export class Codec {
  readonly words: number;
  readonly slotBits: number;
  readonly pageBits: number;
  private readonly mmBits: number;
  private readonly vaBits: number;
  readonly orderBits: number;
  readonly refBits: number;
  readonly pinBits: number;
  readonly mcBits: number;
  private readonly usedBits: number;
  /** slot -> canonical number (-1 unseen), and canonical number -> slot. */
  private readonly canon: Int32Array;
  private readonly order: Int32Array;
  private readonly seen: Int32Array;
  /** nr_pages -> encoded order (1 + order), -1 for a size no folio has. */
  private readonly orderCode: Int8Array;

  readonly cfg: Config;
  readonly lay: Layout;

  constructor(cfg: Config, lay: Layout) {
    this.cfg = cfg;
    this.lay = lay;
    this.slotBits = bitsFor(cfg.slots - 1);
    this.pageBits = bitsFor(cfg.large - 1);
    this.mmBits = bitsFor(cfg.mms - 1);
    this.vaBits = bitsFor(cfg.va - 1);
    // 0: a free slot that something still references (a use after free, reported by an invariant);
    // otherwise 1 + the folio's order.
    this.orderBits = bitsFor(Math.log2(cfg.large) + 1);
    this.orderCode = new Int8Array(cfg.large + 1).fill(-1);
    for (let order = 0; 1 << order <= cfg.large; order++) this.orderCode[1 << order] = order + 1;
    this.refBits = bitsFor(cfg.mms * cfg.large + cfg.pins);
    this.pinBits = bitsFor(cfg.pins);
    this.mcBits = bitsFor(cfg.mms);
    this.usedBits = bitsFor(cfg.slots);
    this.canon = new Int32Array(cfg.slots);
    this.order = new Int32Array(cfg.slots);
    this.seen = new Int32Array(cfg.slots);
    const pteBits = 2 + this.slotBits + this.pageBits;
    const pinBits = 2 + this.mmBits + this.vaBits + this.slotBits + this.pageBits;
    const folioBits =
      this.orderBits + this.refBits + this.pinBits + (cfg.tuple ? TUPLE_BITS : 0) + cfg.large * (this.mcBits + 1);
    const maxFolios = Math.min(cfg.slots, cfg.mms * cfg.va + cfg.pins);
    const bits = cfg.mms * (1 + cfg.va * pteBits) + cfg.pins * pinBits + this.usedBits + maxFolios * folioBits;
    this.words = Math.max(1, Math.ceil(bits / 32));
  }

  /**
   * Writes the canonical encoding of the kernel in `w` (a `Layout` buffer) to `out[at .. at+words)`.
   * Allocates nothing: this runs once per transition of the exhaustive search, so fields that always go
   * together (a PTE, a folio's head) are packed into one `put` (profiled on bench-core: half the time).
   */
  encode(w: Int32Array, out: Uint32Array, at: number): void {
    const { cfg, lay, canon, order, slotBits, pageBits, orderBits, refBits, pinBits, mcBits } = this;
    const { mms, va, pins, slots, large } = cfg;
    const mmSize = lay.mmSize;
    const pteBits = 2 + slotBits + pageBits;
    const gen = this.nextGeneration();
    const seen = this.seen;
    let next = 0;
    // The bit writer lives in locals: `acc` holds the `n` low bits not yet stored at out[pos]. Each
    // "PUT v, bits" below is the same four statements, written out because a helper that updates the
    // writer through `this` doubled the cost of the whole search (bench-core profile).
    let acc = 0;
    let n = 0;
    let pos = at;
    let v = 0;
    let bits = 0;

    for (let m = 0; m < mms; m++) {
      const mo = m * mmSize;
      v = bounded(w[mo] as number, 1, 'mm.live');
      bits = 1;
      acc |= v << n;
      n += bits;
      if (n >= 32) {
        out[pos++] = acc;
        n -= 32;
        acc = n > 0 ? v >>> (bits - n) : 0;
      } // PUT
      for (let o = mo + 1, end = mo + 1 + va * PTE_WORDS; o < end; o += PTE_WORDS) {
        if (w[o] === 0) {
          n += 1;
          if (n >= 32) {
            out[pos++] = acc;
            n -= 32;
            acc = 0;
          } // PUT 0, 1
          continue;
        }
        const s = w[o + 2] as number;
        let c: number;
        if (seen[s] === gen) {
          c = canon[s] as number;
        } else {
          seen[s] = gen;
          c = next++;
          canon[s] = c;
          order[c] = s;
        }
        const write = bounded(w[o + 1] as number, 1, 'pte.write');
        const page = bounded(w[o + 3] as number, pageBits, 'pte.page');
        v = 1 | (write << 1) | (c << 2) | (page << (2 + slotBits));
        bits = pteBits;
        acc |= v << n;
        n += bits;
        if (n >= 32) {
          out[pos++] = acc;
          n -= 32;
          acc = n > 0 ? v >>> (bits - n) : 0;
        } // PUT
      }
    }
    this.acc = acc;
    this.n = n;
    this.pos = pos;
    this.out = out;
    for (let k = 0; k < pins; k++) {
      const o = lay.pin(k);
      if (w[o] === 0) {
        this.put(0, 1);
        continue;
      }
      const s = w[o + 3] as number;
      let c: number;
      if (seen[s] === gen) {
        c = canon[s] as number;
      } else {
        seen[s] = gen;
        c = next++;
        canon[s] = c;
        order[c] = s;
      }
      this.put(1, 1);
      this.put(bounded(w[o + 1] as number, this.mmBits, 'pin.mm'), this.mmBits);
      this.put(bounded(w[o + 2] as number, this.vaBits, 'pin.addr'), this.vaBits);
      this.put(c, slotBits);
      this.put(bounded(w[o + 4] as number, pageBits, 'pin.page'), pageBits);
      this.put(bounded(w[o + 5] as number, 1, 'pin.attached'), 1);
    }
    // Used but unreferenced slots (a leak) keep their place after the referenced ones; the allocator's
    // count says whether there are any, which spares the scan on every transition.
    for (let s = 0, o = lay.folioBase; next < (w[lay.nrFolios] as number) && s < slots; s++, o += lay.folioSize) {
      if (seen[s] !== gen && w[o] !== 0) {
        seen[s] = gen;
        canon[s] = next;
        order[next++] = s;
      }
    }
    this.put(next, this.usedBits);
    acc = this.acc;
    n = this.n;
    pos = this.pos;
    const headBits = orderBits + refBits + pinBits;
    const pageFieldBits = mcBits + 1;
    for (let c = 0; c < next; c++) {
      const o = lay.folioBase + (order[c] as number) * lay.folioSize;
      const nr = w[o + 1] as number;
      v =
        bounded(w[o] === 0 ? 0 : (this.orderCode[nr] ?? -1), orderBits, 'folio.nr_pages') |
        (bounded(w[o + 2] as number, refBits, 'folio._refcount') << orderBits) |
        (bounded(w[o + 3] as number, pinBits, 'folio._pincount') << (orderBits + refBits));
      bits = headBits;
      acc |= v << n;
      n += bits;
      if (n >= 32) {
        out[pos++] = acc;
        n -= 32;
        acc = n > 0 ? v >>> (bits - n) : 0;
      } // PUT
      if (cfg.tuple) {
        v = bounded((w[o + 4] as number) + TUPLE_BIAS, TUPLE_BITS, 'folio._tuple_mapcount');
        bits = TUPLE_BITS;
        acc |= v << n;
        n += bits;
        if (n >= 32) {
          out[pos++] = acc;
          n -= 32;
          acc = n > 0 ? v >>> (bits - n) : 0;
        } // PUT
      }
      // All pages of a folio in as few puts as fit in a word.
      const pages = Math.min(nr, large);
      v = 0;
      bits = 0;
      for (let p = o + FOLIO_HEAD_WORDS, end = p + pages * PAGE_WORDS; p < end; p += PAGE_WORDS) {
        const page =
          bounded(w[p] as number, mcBits, 'page._mapcount') |
          (bounded(w[p + 1] as number, 1, 'page.anon_exclusive') << mcBits);
        v |= page << bits;
        bits += pageFieldBits;
        if (bits > 31 - pageFieldBits) {
          acc |= v << n;
          n += bits;
          if (n >= 32) {
            out[pos++] = acc;
            n -= 32;
            acc = n > 0 ? v >>> (bits - n) : 0;
          } // PUT
          v = 0;
          bits = 0;
        }
      }
      if (bits > 0) {
        acc |= v << n;
        n += bits;
        if (n >= 32) {
          out[pos++] = acc;
          n -= 32;
          acc = n > 0 ? v >>> (bits - n) : 0;
        } // PUT
      }
    }
    if (n > 0) out[pos++] = acc;
    const end = at + this.words;
    while (pos < end) out[pos++] = 0;
  }

  /** Generation stamps replace clearing `canon` before every encode. */
  private generation = 0;
  private nextGeneration(): number {
    this.generation = (this.generation + 1) | 0;
    if (this.generation === 0) {
      this.seen.fill(0);
      this.generation = 1;
    }
    return this.generation;
  }

  private out: Uint32Array = new Uint32Array(0);
  private acc = 0;
  private n = 0;
  private pos = 0;

  /** Appends `v` (already known to fit) in `bits` bits. */
  private put(v: number, bits: number): void {
    if (bits === 0) return;
    this.acc |= v << this.n;
    this.n += bits;
    if (this.n >= 32) {
      this.out[this.pos++] = this.acc;
      this.n -= 32;
      this.acc = this.n > 0 ? v >>> (bits - this.n) : 0;
    }
  }

  /** Reads the next `bits` bits (the inverse of `put`). */
  private take(bits: number): number {
    if (bits === 0) return 0;
    let v = this.acc >>> this.n;
    const have = 32 - this.n;
    if (bits < have) {
      this.n += bits;
      return v & ((1 << bits) - 1);
    }
    // The field ends at or beyond this word: take the rest from the next one.
    this.pos += 1;
    this.acc = this.src[this.pos] as number;
    const rest = bits - have;
    this.n = rest;
    if (rest > 0) v |= (this.acc & ((1 << rest) - 1)) << have;
    return v & ((1 << bits) - 1);
  }

  private src: Uint32Array = new Uint32Array(0);

  /** Writes the state encoded at `src[at..]` into `w` (a `Layout` buffer), slots in canonical order. */
  decode(src: Uint32Array, at: number, w: Int32Array): void {
    const { cfg, lay } = this;
    const { mms, va, pins, large } = cfg;
    w.fill(0);
    this.src = src;
    this.pos = at;
    this.acc = src[at] as number;
    this.n = 0;
    for (let m = 0; m < mms; m++) {
      w[m * lay.mmSize] = this.take(1);
      for (let a = 0; a < va; a++) {
        if (this.take(1) === 0) continue;
        const o = lay.pte(m, a);
        w[o] = 1;
        w[o + 1] = this.take(1);
        w[o + 2] = this.take(this.slotBits);
        w[o + 3] = this.take(this.pageBits);
      }
    }
    for (let k = 0; k < pins; k++) {
      if (this.take(1) === 0) continue;
      const o = lay.pin(k);
      w[o] = 1;
      w[o + 1] = this.take(this.mmBits);
      w[o + 2] = this.take(this.vaBits);
      w[o + 3] = this.take(this.slotBits);
      w[o + 4] = this.take(this.pageBits);
      w[o + 5] = this.take(1);
    }
    const used = this.take(this.usedBits);
    let allocated = 0;
    for (let c = 0; c < used; c++) {
      const o = lay.folio(c);
      const code = this.take(this.orderBits);
      const nr = code === 0 ? 0 : 1 << (code - 1);
      w[o] = code === 0 ? 0 : 1;
      if (code !== 0) allocated += 1;
      w[o + 1] = nr;
      w[o + 2] = this.take(this.refBits);
      w[o + 3] = this.take(this.pinBits);
      if (cfg.tuple) w[o + 4] = this.take(TUPLE_BITS) - TUPLE_BIAS;
      const pages = Math.min(nr, large);
      for (let j = 0; j < pages; j++) {
        const p = o + FOLIO_HEAD_WORDS + j * PAGE_WORDS;
        w[p] = this.take(this.mcBits);
        w[p + 1] = this.take(1);
      }
    }
    w[lay.nrFolios] = allocated;
  }
}
