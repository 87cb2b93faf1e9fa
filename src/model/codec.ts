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
import { Layout } from './views.js';

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

/** Offset of the signed tuple counter in its field. */
const TUPLE_BIAS = 128;
const TUPLE_BITS = 8;

export class Codec {
  readonly words: number;
  private readonly slotBits: number;
  private readonly pageBits: number;
  private readonly mmBits: number;
  private readonly vaBits: number;
  private readonly orderBits: number;
  private readonly refBits: number;
  private readonly pinBits: number;
  private readonly mcBits: number;
  private readonly usedBits: number;
  /** slot -> canonical number (-1 unseen), and canonical number -> slot. */
  private readonly canon: Int32Array;
  private readonly order: Int32Array;

  readonly cfg: Config;
  readonly lay: Layout;

  constructor(cfg: Config, lay: Layout) {
    this.cfg = cfg;
    this.lay = lay;
    this.slotBits = bitsFor(cfg.slots - 1);
    this.pageBits = bitsFor(cfg.large - 1);
    this.mmBits = bitsFor(cfg.mms - 1);
    this.vaBits = bitsFor(cfg.va - 1);
    this.orderBits = bitsFor(Math.log2(cfg.large));
    this.refBits = bitsFor(cfg.mms * cfg.large + cfg.pins);
    this.pinBits = bitsFor(cfg.pins);
    this.mcBits = bitsFor(cfg.mms);
    this.usedBits = bitsFor(cfg.slots);
    this.canon = new Int32Array(cfg.slots);
    this.order = new Int32Array(cfg.slots);
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
   * Allocates nothing: this runs once per transition of the exhaustive search.
   */
  encode(w: Int32Array, out: Uint32Array, at: number): void {
    const { cfg, lay, canon, order } = this;
    const { mms, va, pins, slots, large } = cfg;
    canon.fill(-1);
    let next = 0;
    this.out = out;
    this.acc = 0;
    this.n = 0;
    this.pos = at;

    for (let m = 0; m < mms; m++) {
      this.put(w[m * lay.mmSize] as number, 1, 'mm.live');
      for (let a = 0; a < va; a++) {
        const o = lay.pte(m, a);
        if (w[o] === 0) {
          this.put(0, 1, 'pte.present');
          continue;
        }
        const s = w[o + 2] as number;
        let c = canon[s] as number;
        if (c < 0) {
          c = next++;
          canon[s] = c;
          order[c] = s;
        }
        this.put(1 | ((w[o + 1] as number) << 1), 2, 'pte.write');
        this.put(c, this.slotBits, 'pte.folio');
        this.put(w[o + 3] as number, this.pageBits, 'pte.page');
      }
    }
    for (let k = 0; k < pins; k++) {
      const o = lay.pin(k);
      if (w[o] === 0) {
        this.put(0, 1, 'pin.live');
        continue;
      }
      const s = w[o + 3] as number;
      let c = canon[s] as number;
      if (c < 0) {
        c = next++;
        canon[s] = c;
        order[c] = s;
      }
      this.put(1, 1, 'pin.live');
      this.put(w[o + 1] as number, this.mmBits, 'pin.mm');
      this.put(w[o + 2] as number, this.vaBits, 'pin.addr');
      this.put(c, this.slotBits, 'pin.folio');
      this.put(w[o + 4] as number, this.pageBits, 'pin.page');
      this.put(w[o + 5] as number, 1, 'pin.attached');
    }
    // Used but unreferenced slots (a leak) keep their place after the referenced ones.
    for (let s = 0; s < slots; s++) {
      if (canon[s] === -1 && w[lay.folio(s)] !== 0) {
        canon[s] = next;
        order[next++] = s;
      }
    }
    this.put(next, this.usedBits, 'folio count');
    for (let c = 0; c < next; c++) {
      const o = lay.folio(order[c] as number);
      const nr = w[o + 1] as number;
      this.put(bitsFor(nr) - 1, this.orderBits, 'folio.order');
      this.put(w[o + 2] as number, this.refBits, 'folio._refcount');
      this.put(w[o + 3] as number, this.pinBits, 'folio._pincount');
      if (cfg.tuple) this.put((w[o + 4] as number) + TUPLE_BIAS, TUPLE_BITS, 'folio._tuple_mapcount');
      const pages = Math.min(nr, large);
      for (let j = 0; j < pages; j++) {
        const p = o + Layout.FOLIO_HEAD + j * Layout.PAGE;
        this.put(w[p] as number, this.mcBits, 'page._mapcount');
        this.put(w[p + 1] as number, 1, 'page.anon_exclusive');
      }
    }
    let pos = this.pos;
    if (this.n > 0) out[pos++] = this.acc;
    const end = at + this.words;
    while (pos < end) out[pos++] = 0;
  }

  private out: Uint32Array = new Uint32Array(0);
  private acc = 0;
  private n = 0;
  private pos = 0;

  /** Appends `v` in `bits` bits; `field` names it if it does not fit. */
  private put(v: number, bits: number, field: string): void {
    if (v >>> bits !== 0 || (bits === 0 && v !== 0)) throw new EncodingOverflow(field, v, bits);
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
    for (let c = 0; c < used; c++) {
      const o = lay.folio(c);
      const nr = 1 << this.take(this.orderBits);
      w[o] = 1;
      w[o + 1] = nr;
      w[o + 2] = this.take(this.refBits);
      w[o + 3] = this.take(this.pinBits);
      if (cfg.tuple) w[o + 4] = this.take(TUPLE_BITS) - TUPLE_BIAS;
      const pages = Math.min(nr, large);
      for (let j = 0; j < pages; j++) {
        const p = o + Layout.FOLIO_HEAD + j * Layout.PAGE;
        w[p] = this.take(this.mcBits);
        w[p + 1] = this.take(1);
      }
    }
  }
}
