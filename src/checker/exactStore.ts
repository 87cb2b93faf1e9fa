/**
 * The exact store: every encoding in an arena of fixed-width records, in chunks so it grows without copying,
 * and an index over it, a linear-probing table of 4-byte slots that grows in place.
 *
 * A slot holds id + 1 (0: empty) in its low `idBits` bits and, above them, as many low bits of the state's
 * hash as are left: a probe reads the arena only when those bits match (on bench-core the table's cache
 * misses were most of the search time). The home slot is hash * cap / 2^32 (fastrange), with no wrap-around
 * (`SLACK` slots past the last home). The arena is the source of truth, so growth needs no old copy of the
 * table: the table is cleared and rebuilt from the arena in place, inside its reservation (reserve.ts), by
 * `GROWTH` at a time, so it stays between MAX_LOAD / GROWTH and MAX_LOAD full.
 */
import { hashWords, SEED_LO } from './hash.js';
import { defaultReserveBytes, enlarge } from './reserve.js';

const CHUNK_BITS = 16;
const CHUNK_STATES = 1 << CHUNK_BITS;
const SLACK = 256;
const MIN_CAP = 1 << 16;
const MAX_LOAD = 0.85;
/**
 * Each growth rehashes every stored state from the arena. Doubling rehashes about twice a state over a
 * search and keeps probes short (at most 85% full, 42.5% after a growth); growing by 25% held about 2 bytes a
 * state less but rehashed about 6 times a state at 68-85% load, and made a one-thread search of
 * core-safe-s5 to 3 million states 17-30% slower on a loaded machine (alternated; quiet, the same:
 * docs/search-engine.md).
 */
const GROWTH = 2;
const TWO32 = 4294967296;

/**
 * The hash with its high bits mixed from all of it, for the home slot: the parallel search gives each
 * worker the states of one range of the hash's high bits (parallelWorker.ts `ownerOf`), which would leave
 * most of each worker's table unused and its clusters long.
 */
const spread = (h: number): number => Math.imul(h, 0x9e3779b1) >>> 0;

/** Bits for id + 1 in a table of `cap` slots (ids stay below the limit, itself below cap). */
const idBitsFor = (cap: number): number => Math.min(30, 32 - Math.clz32(cap));

export class ExactStore {
  readonly mode = 'exact';
  size = 0;
  private readonly w: number;
  private readonly chunks: Uint32Array[] = [];
  private table: Int32Array;
  private cap = MIN_CAP;
  private limit = Math.floor(MIN_CAP * MAX_LOAD);
  private idBits = idBitsFor(MIN_CAP);
  private readonly reserveBytes: number;
  /** The hashes of the batch `prepare` saw last, where it starts and its stride. */
  private hashes = new Uint32Array(64);
  private batchAt = 0;
  private stride = 0;
  /** What the touching reads of `prepare` read, kept so that they are not optimised away. */
  sink = 0;

  /** `reserveBytes`: address space for the table (the search's memory bound; nothing resident until used). */
  constructor(words: number, reserveBytes = defaultReserveBytes()) {
    this.w = words;
    this.reserveBytes = reserveBytes / 2;
    this.table = new Int32Array(MIN_CAP + SLACK);
  }

  /** Every stored state in id order, for a checkpoint (restored by adding them again, in order). */
  dump(): Uint32Array {
    const out = new Uint32Array(this.size * this.w);
    for (const [c, chunk] of this.chunks.entries()) {
      const n = Math.min(CHUNK_STATES, this.size - c * CHUNK_STATES);
      out.set(chunk.subarray(0, n * this.w), c * CHUNK_STATES * this.w);
    }
    return out;
  }

  /** The chunk holding state `id`; its record starts at `offset(id)`. */
  chunk(id: number): Uint32Array {
    return this.chunks[id >>> CHUNK_BITS] as Uint32Array;
  }

  offset(id: number): number {
    return (id & (CHUNK_STATES - 1)) * this.w;
  }

  add(src: Uint32Array, at: number, hash?: number): number {
    const w = this.w;
    const t = this.table;
    const h = hash ?? hashWords(src, at, w, SEED_LO);
    const idBits = this.idBits;
    const idMask = (1 << idBits) - 1;
    const tag = h << idBits;
    const end = this.cap + SLACK;
    let i = Math.floor(spread(h) * (this.cap / TWO32));
    for (; i < end; i++) {
      const s = t[i] as number;
      if (s === 0) break;
      if ((s & ~idMask) === tag) {
        const id = (s & idMask) - 1;
        const chunk = this.chunks[id >>> CHUNK_BITS] as Uint32Array;
        const off = (id & (CHUNK_STATES - 1)) * w;
        let j = 0;
        while (j < w && chunk[off + j] === src[at + j]) j++;
        if (j === w) return -1;
      }
    }
    if (i === end) {
      this.grow();
      return this.add(src, at, hash);
    }
    const id = this.size;
    if ((id & (CHUNK_STATES - 1)) === 0) this.chunks.push(new Uint32Array(CHUNK_STATES * w));
    const chunk = this.chunks[id >>> CHUNK_BITS] as Uint32Array;
    const off = (id & (CHUNK_STATES - 1)) * w;
    for (let j = 0; j < w; j++) chunk[off + j] = src[at + j] as number;
    t[i] = tag | (id + 1);
    this.size = id + 1;
    if (this.size > this.limit) this.grow();
    return id;
  }

  /**
   * Hashes the `count` states at `src[at + k * stride..]` and touches, for each, its home slot and then the stored
   * record that slot names, where `addPrepared(src, k)` will probe. One probe at a time waits for each of its
   * two cache misses (the table and the arena are far larger than the caches: on bench-core the probe was
   * a third of the search time); these loads of a whole expansion are independent of each other and
   * overlap.
   */
  prepare(src: Uint32Array, count: number, stride = this.w, at = 0, hashAt = -1): void {
    if (this.hashes.length < count) this.hashes = new Uint32Array(Math.max(count, 2 * this.hashes.length));
    this.batchAt = at;
    this.stride = stride;
    const hs = this.hashes;
    const w = this.w;
    const t = this.table;
    const scale = this.cap / TWO32;
    if (hashAt >= 0) for (let k = 0; k < count; k++) hs[k] = src[at + k * stride + hashAt] as number;
    else for (let k = 0; k < count; k++) hs[k] = hashWords(src, at + k * stride, w, SEED_LO);
    let sink = 0;
    for (let k = 0; k < count; k++) sink ^= t[Math.floor(spread(hs[k] as number) * scale)] as number;
    const idBits = this.idBits;
    const idMask = (1 << idBits) - 1;
    const end = this.cap + SLACK;
    for (let k = 0; k < count; k++) {
      const h = hs[k] as number;
      const tag = h << idBits;
      for (let i = Math.floor(spread(h) * scale); i < end; i++) {
        const s = t[i] as number;
        if (s === 0) break;
        if ((s & ~idMask) === tag) {
          const id = (s & idMask) - 1;
          sink ^= (this.chunks[id >>> CHUNK_BITS] as Uint32Array)[(id & (CHUNK_STATES - 1)) * w] as number;
          break;
        }
      }
    }
    this.sink = sink;
  }

  /** `add` of the `k`th state of the batch `prepare` saw last (`src` the same array). */
  addPrepared(src: Uint32Array, k: number): number {
    return this.add(src, this.batchAt + k * this.stride, this.hashes[k]);
  }

  /** Grows the table by GROWTH: cleared and rebuilt in place from the arena. */
  private grow(): void {
    let cap = Math.ceil(this.cap * GROWTH);
    for (;;) {
      if (this.rebuild(cap)) return;
      cap = Math.ceil(cap * GROWTH); // a cluster reached the end: a larger table
    }
  }

  private rebuild(cap: number): boolean {
    const end = cap + SLACK;
    if (this.table.length < end) {
      this.table = new Int32Array(enlarge(new Uint32Array(this.table.buffer), end, this.reserveBytes).buffer);
    }
    const t = this.table;
    t.fill(0, 0, end);
    const w = this.w;
    const idBits = idBitsFor(cap);
    const scale = cap / TWO32;
    for (let id = 0; id < this.size; id++) {
      const chunk = this.chunks[id >>> CHUNK_BITS] as Uint32Array;
      const h = hashWords(chunk, (id & (CHUNK_STATES - 1)) * w, w, SEED_LO);
      let i = Math.floor(spread(h) * scale);
      while (i < end && t[i] !== 0) i++;
      if (i === end) return false;
      t[i] = (h << idBits) | (id + 1);
    }
    this.cap = cap;
    this.limit = Math.floor(cap * MAX_LOAD);
    this.idBits = idBits;
    return true;
  }

  /** The longest run of occupied slots, which bounds a probe's length (tests: the table's spread). */
  longestCluster(): number {
    let longest = 0;
    let run = 0;
    for (let i = 0; i < this.cap + SLACK; i++) {
      run = this.table[i] === 0 ? 0 : run + 1;
      if (run > longest) longest = run;
    }
    return longest;
  }

  /** Bytes of the arena and of the table in use (their resident part). */
  bytes(): number {
    return 4 * (this.cap + SLACK) + this.chunks.length * CHUNK_STATES * this.w * 4;
  }

  /** Bytes the next growth of the table touches (the arena grows by chunks, with the states). */
  growthBytes(): number {
    return 4 * (Math.ceil(this.cap * GROWTH) - this.cap);
  }
}
