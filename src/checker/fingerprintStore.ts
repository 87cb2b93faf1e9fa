/**
 * The fingerprint store: 64-bit fingerprints in one dense table of 8-byte slots, an ordered linear-probing
 * table (Amble and Knuth's ordered hash table) that grows in place.
 *
 * A fingerprint (hi, lo) has its home slot at hi * cap / 2^32 (Lemire's fastrange, so cap need not be a
 * power of two) and the table keeps fingerprints sorted by (hi, lo), each at or after its home with no
 * empty slot in between; there is no wrap-around, `slack` slots past the last home take the last clusters.
 * Sorted order makes the layout a function of the set alone, which gives the two things a dense table needs:
 * - a probe for a missing fingerprint stops at the first greater one, as short as a probe for a present one;
 * - growth in place: with a larger cap every fingerprint's new slot is at most `cap' - cap` past its old one,
 *   so moving the table up by that much and placing fingerprints back from the left never overwrites one
 *   not yet placed. The table grows by `GROWTH` at a time inside its reservation (reserve.ts), so it stays
 *   between MAX_LOAD / GROWTH and MAX_LOAD full and never holds an old and a new copy at once.
 * Slots hold the fingerprint complemented, so that an empty slot (0, 0) sorts after every fingerprint and
 * one comparison ends a probe at an empty slot or a greater fingerprint.
 */
import { hashPair, hashWords, SEED_HI, SEED_LO } from './hash.js';
import { defaultReserveBytes, enlarge } from './reserve.js';

/** Slots past the last home, at first; a cluster that reaches the end doubles them. */
const SLACK = 256;
const MIN_CAP = 1 << 12;
/** At 0.92 an insertion shifts about 80 slots (640 bytes) and a probe reads about 7 (8 bytes each). */
const MAX_LOAD = 0.92;
const GROWTH = 1.1;
const TWO32 = 4294967296;

export class FingerprintStore {
  readonly mode = 'fingerprint';
  size = 0;
  private readonly w: number;
  /** Slot i is words (2i, 2i + 1) = (~lo, ~hi); the slots in use are the first `cap + slack`. */
  private table: Uint32Array;
  private cap = MIN_CAP;
  private slack = SLACK;
  private readonly reserveBytes: number;
  private limit = Math.floor(MIN_CAP * MAX_LOAD);
  /** The fingerprints of the batch `prepare` saw last. */
  private los = new Uint32Array(64);
  private his = new Uint32Array(64);
  /** What the touching reads of `prepare` read, kept so that they are not optimised away. */
  sink = 0;

  /** `reserveBytes`: address space for the table (the search's memory bound; nothing resident until used). */
  constructor(words: number, reserveBytes = defaultReserveBytes()) {
    this.w = words;
    this.reserveBytes = reserveBytes;
    this.table = new Uint32Array(2 * (MIN_CAP + SLACK));
  }

  add(src: Uint32Array, at: number, hash?: number): number {
    const lo = hash ?? hashWords(src, at, this.w, SEED_LO);
    const hi = hashWords(src, at, this.w, SEED_HI);
    return this.addFingerprint(lo, hi);
  }

  /**
   * Fingerprints the `count` states at `src[at + k * stride..]` and touches each one's home slot, where
   * `addPrepared(src, k)` will probe: one probe at a time waits for its cache miss, these independent loads
   * overlap (exactStore.ts `prepare`).
   */
  prepare(src: Uint32Array, count: number, stride = this.w, at = 0, hashAt = -1): void {
    if (this.los.length < count) {
      this.los = new Uint32Array(Math.max(count, 2 * this.los.length));
      this.his = new Uint32Array(this.los.length);
    }
    const { los, his, w } = this;
    if (hashAt < 0) for (let k = 0; k < count; k++) hashPair(src, at + k * stride, w, los, his, k);
    else {
      for (let k = 0, r = at; k < count; k++, r += stride) {
        los[k] = src[r + hashAt] as number;
        his[k] = src[r + hashAt + 1] as number;
      }
    }
    const t = this.table;
    const scale = this.cap / TWO32;
    let sink = 0;
    for (let k = 0; k < count; k++) sink ^= t[2 * Math.floor((his[k] as number) * scale) + 1] as number;
    this.sink = sink;
  }

  /** `add` of the `k`th state of the batch `prepare` saw last. */
  addPrepared(_src: Uint32Array, k: number): number {
    return this.addFingerprint(this.los[k] as number, this.his[k] as number);
  }

  /** Adds the fingerprint (lo, hi), each an unsigned 32-bit half: its id, or -1 if it was stored. */
  addFingerprint(lo: number, hi: number): number {
    // Complemented; the one fingerprint whose complement is the empty slot is taken for its neighbour.
    const sh = ~hi >>> 0;
    let sl = ~lo >>> 0;
    if (sh === 0 && sl === 0) sl = 1;
    const t = this.table;
    let i = Math.floor((hi >>> 0) * (this.cap / TWO32));
    // Stored values are greater while the fingerprint there is smaller: skip those.
    for (;;) {
      const th = t[2 * i + 1] as number;
      if (th > sh) {
        i++;
        continue;
      }
      if (th === sh) {
        const tl = t[2 * i] as number;
        if (tl > sl) {
          i++;
          continue;
        }
        if (tl === sl) return -1;
      }
      break;
    }
    // Slot i takes the fingerprint; the run from i up to the next empty slot moves up by one.
    const end = this.cap + this.slack;
    let e = i;
    while (e < end && (t[2 * e] !== 0 || t[2 * e + 1] !== 0)) e++;
    if (e === end) {
      // The last cluster fills the slack (fingerprints crowded at the top of the range): more slack.
      this.slack *= 2;
      const to = 2 * (this.cap + this.slack);
      if (this.table.length < to) this.table = enlarge(this.table, to, this.reserveBytes);
      this.table.fill(0, 2 * end, to); // past the old end: at most dump's mark
      return this.addFingerprint(lo, hi);
    }
    if (e > i) t.copyWithin(2 * i + 2, 2 * i, 2 * e);
    t[2 * i] = sl;
    t[2 * i + 1] = sh;
    const id = this.size;
    this.size = id + 1;
    if (this.size > this.limit) this.grow();
    return id;
  }

  /** Grows the table by GROWTH in place: moved up by the added slots, then placed back from the left. */
  private grow(): void {
    const cap = Math.ceil(this.cap * GROWTH);
    const delta = cap - this.cap;
    const end = cap + this.slack;
    if (this.table.length < 2 * end) this.table = enlarge(this.table, 2 * end, this.reserveBytes);
    const t = this.table;
    t.copyWithin(2 * delta, 0, 2 * (this.cap + this.slack));
    const scale = cap / TWO32;
    let next = 0; // slots below are placed or empty
    for (let r = delta; r < end; r++) {
      const sl = t[2 * r] as number;
      const sh = t[2 * r + 1] as number;
      if (sl === 0 && sh === 0) continue;
      // Its new slot is at most r (see the header): nothing not yet placed lies below r.
      let p = Math.floor((~sh >>> 0) * scale);
      if (p < next) p = next;
      for (let z = next; z < p; z++) {
        t[2 * z] = 0;
        t[2 * z + 1] = 0;
      }
      t[2 * p] = sl;
      t[2 * p + 1] = sh;
      next = p + 1;
    }
    t.fill(0, 2 * next, 2 * end);
    this.cap = cap;
    this.limit = Math.floor(cap * MAX_LOAD);
  }

  /** Bytes of the table in use (its resident part). */
  bytes(): number {
    return 8 * (this.cap + this.slack);
  }

  /** Bytes the next growth touches. */
  growthBytes(): number {
    return 8 * (Math.ceil(this.cap * GROWTH) - this.cap);
  }

  /** The table in use and its slack, for a checkpoint (a view: write it before the next `add`). */
  dump(): Uint32Array {
    const end = 2 * (this.cap + this.slack);
    if (this.table.length <= end) this.table = enlarge(this.table, end + 1, this.reserveBytes);
    // The word after the table, which no probe reads; growth rewrites or clears it before it is a slot.
    this.table[end] = this.slack;
    return this.table.subarray(0, end + 1);
  }

  /** A table from a checkpoint (`dump`), holding `size` fingerprints. */
  restore(table: Uint32Array, size: number): void {
    const slack = table[table.length - 1] as number;
    const cap = (table.length - 1) / 2 - slack;
    if (this.table.length < table.length)
      this.table = enlarge(this.table.subarray(0, 0), table.length, this.reserveBytes);
    this.table.fill(0, 0, 2 * (this.cap + this.slack) + 1);
    this.table.set(table.subarray(0, table.length - 1));
    this.cap = cap;
    this.slack = slack;
    this.limit = Math.floor(cap * MAX_LOAD);
    this.size = size;
  }
}
