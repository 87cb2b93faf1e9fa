/**
 * The seen set and the predecessor of every state, as TLC keeps them: state ids are assigned in order of
 * discovery, so in a breadth-first search they are also the order of expansion.
 *
 * Exact mode stores every encoding (an arena of fixed-width records, in chunks so it grows without copying)
 * with an open-addressing table of ids. Fingerprint mode stores only 64-bit fingerprints: far less memory,
 * at the price of a small, reported probability that two states were taken for one.
 */
import { hashWords, SEED_HI, SEED_LO } from './hash.js';

const CHUNK_BITS = 16;
const CHUNK_STATES = 1 << CHUNK_BITS;
const MAX_LOAD = 0.5;

/** Predecessor and action of every state, by id (-1: the initial state). */
export class Predecessors {
  private parent = new Int32Array(1024);
  private action = new Uint32Array(1024);

  set(id: number, parent: number, action: number): void {
    if (id >= this.parent.length) {
      const cap = this.parent.length * 2;
      const p = new Int32Array(cap);
      p.set(this.parent);
      this.parent = p;
      const a = new Uint32Array(cap);
      a.set(this.action);
      this.action = a;
    }
    this.parent[id] = parent;
    this.action[id] = action;
  }

  /** Action indices from the initial state to `id`. */
  pathTo(id: number): number[] {
    const path: number[] = [];
    for (let s = id; s > 0; s = this.parent[s] as number) path.push(this.action[s] as number);
    return path.reverse();
  }

  bytes(): number {
    return this.parent.byteLength + this.action.byteLength;
  }

  /** The first `size` entries, for a checkpoint (checkpoint.ts). */
  dump(size: number): { parent: Int32Array; action: Uint32Array } {
    return { parent: this.parent.slice(0, size), action: this.action.slice(0, size) };
  }

  /** Entries from a checkpoint. */
  restore(parent: Int32Array, action: Uint32Array): void {
    for (let id = 0; id < parent.length; id++) this.set(id, parent[id] as number, action[id] as number);
  }

  /** Bytes the next doubling allocates at once (the memory bound keeps room for it: limits.ts). */
  growthBytes(): number {
    return 2 * this.bytes();
  }
}

export interface StateStore {
  readonly mode: 'exact' | 'fingerprint';
  /** Distinct states stored. */
  readonly size: number;
  /**
   * Adds the state at `src[at..]` if unseen: returns its new id, or -1 if it was seen before. `h` is its
   * `hashWords(.., SEED_LO)` when the caller has it already.
   */
  add(src: Uint32Array, at: number, h?: number): number;
  /** Bytes held by the store's own arrays. */
  bytes(): number;
  /** Bytes the table's next doubling allocates at once, the old table still held (limits.ts keeps room). */
  growthBytes(): number;
}

export class ExactStore implements StateStore {
  readonly mode = 'exact';
  size = 0;
  private readonly w: number;
  private readonly chunks: Uint32Array[] = [];
  /**
   * Pairs (hash, id + 1); id + 1 = 0 marks an empty slot. Probing compares the stored hash first, so only a
   * probable match touches the arena: on bench-core the table's cache misses were most of the search time.
   */
  private table: Int32Array;
  private mask: number;

  constructor(words: number) {
    this.w = words;
    this.table = new Int32Array(2 << 16);
    this.mask = (1 << 16) - 1;
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
    const table = this.table;
    const mask = this.mask;
    const h = (hash ?? hashWords(src, at, w, SEED_LO)) | 0;
    let i = h & mask;
    for (;;) {
      const stored = table[2 * i + 1] as number;
      if (stored === 0) break;
      if (table[2 * i] === h) {
        const id = stored - 1;
        const chunk = this.chunks[id >>> CHUNK_BITS] as Uint32Array;
        const off = (id & (CHUNK_STATES - 1)) * w;
        let j = 0;
        while (j < w && chunk[off + j] === src[at + j]) j++;
        if (j === w) return -1;
      }
      i = (i + 1) & mask;
    }
    const id = this.size;
    if ((id & (CHUNK_STATES - 1)) === 0) this.chunks.push(new Uint32Array(CHUNK_STATES * w));
    const chunk = this.chunks[id >>> CHUNK_BITS] as Uint32Array;
    const off = (id & (CHUNK_STATES - 1)) * w;
    for (let j = 0; j < w; j++) chunk[off + j] = src[at + j] as number;
    table[2 * i] = h;
    table[2 * i + 1] = id + 1;
    this.size = id + 1;
    if (this.size > (mask + 1) * MAX_LOAD) this.grow();
    return id;
  }

  private grow(): void {
    const old = this.table;
    const slots = (this.mask + 1) * 2;
    const table = new Int32Array(2 * slots);
    const mask = slots - 1;
    for (let j = 0; j < old.length; j += 2) {
      const stored = old[j + 1] as number;
      if (stored === 0) continue;
      const h = old[j] as number;
      let i = h & mask;
      while (table[2 * i + 1] !== 0) i = (i + 1) & mask;
      table[2 * i] = h;
      table[2 * i + 1] = stored;
    }
    this.table = table;
    this.mask = mask;
  }

  bytes(): number {
    return this.table.byteLength + this.chunks.length * CHUNK_STATES * this.w * 4;
  }

  growthBytes(): number {
    return 2 * this.table.byteLength;
  }
}

export class FingerprintStore implements StateStore {
  readonly mode = 'fingerprint';
  size = 0;
  private readonly w: number;
  /** Pairs (lo, hi); (0, 0) marks an empty slot, so a fingerprint of (0, 0) is stored as (1, 0). */
  private table: Uint32Array;
  private mask: number;

  constructor(words: number) {
    this.w = words;
    this.table = new Uint32Array(2 << 16);
    this.mask = (1 << 16) - 1;
  }

  add(src: Uint32Array, at: number, hash?: number): number {
    let lo = hash ?? hashWords(src, at, this.w, SEED_LO);
    const hi = hashWords(src, at, this.w, SEED_HI);
    if (lo === 0 && hi === 0) lo = 1;
    const table = this.table;
    const mask = this.mask;
    let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & mask;
    for (;;) {
      const l = table[2 * i] as number;
      const h = table[2 * i + 1] as number;
      if (l === 0 && h === 0) break;
      if (l === lo && h === hi) return -1;
      i = (i + 1) & mask;
    }
    table[2 * i] = lo;
    table[2 * i + 1] = hi;
    const id = this.size;
    this.size = id + 1;
    if (this.size > (mask + 1) * MAX_LOAD) this.grow();
    return id;
  }

  private grow(): void {
    const old = this.table;
    const slots = (this.mask + 1) * 2;
    const table = new Uint32Array(2 * slots);
    const mask = slots - 1;
    for (let j = 0; j < old.length; j += 2) {
      const lo = old[j] as number;
      const hi = old[j + 1] as number;
      if (lo === 0 && hi === 0) continue;
      let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & mask;
      while (table[2 * i] !== 0 || table[2 * i + 1] !== 0) i = (i + 1) & mask;
      table[2 * i] = lo;
      table[2 * i + 1] = hi;
    }
    this.table = table;
    this.mask = mask;
  }

  bytes(): number {
    return this.table.byteLength;
  }

  growthBytes(): number {
    return 2 * this.table.byteLength;
  }

  /** The table as it is, for a checkpoint: fingerprints cannot be recomputed without their states. */
  dump(): Uint32Array {
    return this.table.slice();
  }

  /** A table from a checkpoint, holding `size` fingerprints. */
  restore(table: Uint32Array, size: number): void {
    this.table = table;
    this.mask = table.length / 2 - 1;
    this.size = size;
  }
}

/**
 * TLC's "optimistic" estimate of the probability that fingerprinting merged two distinct states:
 * n (m - n) / 2^64 for n distinct states found among m generated.
 */
export function collisionProbability(states: number, generated: number): number {
  return (states * Math.max(0, generated - states)) / 2 ** 64;
}
