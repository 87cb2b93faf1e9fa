/**
 * Predecessor and action of every state, by id (-1: the initial state): the shortest trace to a state is
 * replayed from them.
 *
 * In memory (without a spill directory) or spilled: entries are appended in
 * id order to a buffer of `BLOCK` entries that is written to the spill directory's `preds.bin` when full, so
 * only the buffer is resident; a trace reads its few entries back by offset. Ids are discovery order in a
 * breadth-first search, so the one-thread driver appends in order.
 */
import { readSync, writeSync } from 'node:fs';
import type { SpillDir } from './spill.js';

const BLOCK = 1 << 16;

export class Predecessors {
  private parent = new Int32Array(1024);
  private action = new Uint32Array(1024);
  private readonly spill: SpillDir | undefined;
  /** Spilled: (parent, action) pairs not yet written, of ids `flushed..count - 1`. */
  private buf: Int32Array | undefined;
  private fd = -1;
  private flushed = 0;
  private count = 0;

  /** With `spill`, entries go to a file there once past one block. */
  constructor(spill?: SpillDir) {
    this.spill = spill;
    if (spill !== undefined) this.buf = new Int32Array(2 * BLOCK);
  }

  set(id: number, parent: number, action: number): void {
    const buf = this.buf;
    if (buf !== undefined) {
      if (id !== this.count)
        throw new Error(`Predecessors: spilled entries come in id order, got ${id} at ${this.count}`);
      const k = 2 * (id - this.flushed);
      buf[k] = parent;
      buf[k + 1] = action;
      this.count = id + 1;
      if (this.count - this.flushed === BLOCK) this.flush(buf);
      return;
    }
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

  private flush(buf: Int32Array): void {
    if (this.fd < 0) this.fd = (this.spill as SpillDir).open('preds.bin');
    const n = this.count - this.flushed;
    writeSync(this.fd, buf, 0, 8 * n, 8 * this.flushed);
    this.flushed = this.count;
  }

  private readonly one = new Int32Array(2);

  /** Parent of `id` into one[0], action into one[1]. */
  private entry(id: number): Int32Array {
    const buf = this.buf as Int32Array;
    if (id >= this.flushed) {
      this.one[0] = buf[2 * (id - this.flushed)] as number;
      this.one[1] = buf[2 * (id - this.flushed) + 1] as number;
    } else readSync(this.fd, this.one, 0, 8, 8 * id);
    return this.one;
  }

  /** The parent of `id` and its action (the action as an unsigned word). */
  get(id: number): readonly [parent: number, action: number] {
    if (this.buf === undefined) return [this.parent[id] as number, this.action[id] as number];
    const e = this.entry(id);
    return [e[0] as number, (e[1] as number) >>> 0];
  }

  /** Action indices from the initial state to `id`. */
  pathTo(id: number): number[] {
    const path: number[] = [];
    if (this.buf !== undefined) {
      for (let s = id; s > 0; ) {
        const e = this.entry(s);
        path.push((e[1] as number) >>> 0);
        s = e[0] as number;
      }
    } else for (let s = id; s > 0; s = this.parent[s] as number) path.push(this.action[s] as number);
    return path.reverse();
  }

  /** Resident bytes. */
  bytes(): number {
    return this.buf !== undefined ? this.buf.byteLength : this.parent.byteLength + this.action.byteLength;
  }

  /** The first `size` entries, for a checkpoint (checkpoint.ts); spilled ones are read back for it. */
  dump(size: number): { parent: Int32Array; action: Uint32Array } {
    if (this.buf === undefined) return { parent: this.parent.slice(0, size), action: this.action.slice(0, size) };
    const parent = new Int32Array(size);
    const action = new Uint32Array(size);
    const block = new Int32Array(2 * BLOCK);
    for (let from = 0; from < size; from += BLOCK) {
      const n = Math.min(BLOCK, size - from);
      let src: Int32Array = block;
      if (from < this.flushed) readSync(this.fd, block, 0, 8 * n, 8 * from);
      else src = (this.buf as Int32Array).subarray(2 * (from - this.flushed));
      for (let k = 0; k < n; k++) {
        parent[from + k] = src[2 * k] as number;
        action[from + k] = src[2 * k + 1] as number;
      }
    }
    return { parent, action };
  }

  /** Entries from a checkpoint. */
  restore(parent: Int32Array, action: Uint32Array): void {
    for (let id = 0; id < parent.length; id++) this.set(id, parent[id] as number, action[id] as number);
  }

  /** Bytes the next doubling allocates at once (the memory bound keeps room for it: limits.ts); 0 spilled. */
  growthBytes(): number {
    return this.buf !== undefined ? 0 : 2 * this.bytes();
  }
}

/**
 * A predecessor's action and owner in one word (the parallel search's predecessors: Predecessors keeps two words a state): `action * (workers +
 * 1) + owner + 1`, owner -1 for the initial state. Refused when the largest does not fit 32 bits.
 */
export function packOwner(action: number, owner: number, workers: number): number {
  return action * (workers + 1) + owner + 1;
}

export function unpackOwner(word: number, workers: number): { action: number; owner: number } {
  return { action: Math.floor(word / (workers + 1)), owner: (word % (workers + 1)) - 1 };
}
