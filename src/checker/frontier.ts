/**
 * The breadth-first queue of encoded states, for fingerprint mode (exact mode expands states straight from
 * the store, since ids are in breadth-first order), in chunks of `CHUNK_STATES` states.
 *
 * In memory, chunks are released as soon as they are consumed, so the queue holds about two BFS levels at
 * most. With a spill directory at most `MEM_CHUNKS` chunks stay in memory: past that, each chunk filled is
 * written to a file of its own and its buffer reused; a chunk's file is read back when the queue reaches it
 * and deleted then. Order is kept by the list of chunks, in memory or on disk, in queue order.
 */
import { closeSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import type { SpillDir } from './spill.js';

const CHUNK_STATES = 1 << 14;
/** Chunks held in memory by a spilling queue (the one being read, the one being written, one between). */
const MEM_CHUNKS = 3;

/** A full or partly filled chunk: its states in memory, or the file holding them. */
interface Chunk {
  data: Uint32Array | undefined;
  file: string | undefined;
}

export class Frontier {
  private readonly w: number;
  private readonly spill: SpillDir | undefined;
  private readonly chunks: Chunk[] = [];
  private head = 0; // states consumed from chunks[0]
  private tail = CHUNK_STATES; // states written to the last chunk
  private inMemory = 0; // chunks with data
  private files = 0;
  /** Buffers of consumed chunks, for the next ones (a spilling queue allocates none after its first few). */
  private readonly free: Uint32Array[] = [];
  length = 0;

  /** With `spill`, chunks past the first few go to files there. */
  constructor(words: number, spill?: SpillDir) {
    this.w = words;
    this.spill = spill;
  }

  push(src: Uint32Array, at: number): void {
    if (this.tail === CHUNK_STATES) this.newTail();
    const chunk = (this.chunks[this.chunks.length - 1] as Chunk).data as Uint32Array;
    chunk.set(src.subarray(at, at + this.w), this.tail * this.w);
    this.tail += 1;
    this.length += 1;
  }

  private buffer(): Uint32Array {
    return this.free.pop() ?? new Uint32Array(CHUNK_STATES * this.w);
  }

  private newTail(): void {
    const last = this.chunks[this.chunks.length - 1];
    // The full last chunk goes to disk when enough are in memory, unless it is the one being read.
    if (this.spill !== undefined && last !== undefined && this.chunks.length > 1 && this.inMemory >= MEM_CHUNKS) {
      const data = last.data as Uint32Array;
      last.file = this.spill.file(`queue-${this.files++}.bin`);
      const fd = openSync(last.file, 'w');
      writeSync(fd, data);
      closeSync(fd);
      last.data = undefined;
      this.chunks.push({ data, file: undefined });
    } else {
      this.chunks.push({ data: this.buffer(), file: undefined });
      this.inMemory += 1;
    }
    this.tail = 0;
  }

  /** The next state: its chunk, and the offset is `lastOffset` (valid until the next `pop`). */
  pop(): Uint32Array {
    if (this.head === CHUNK_STATES) {
      const done = this.chunks.shift() as Chunk;
      this.free.length = 0;
      this.free.push(done.data as Uint32Array);
      this.inMemory -= 1;
      this.head = 0;
      this.load(this.chunks[0] as Chunk);
    }
    const chunk = (this.chunks[0] as Chunk).data as Uint32Array;
    this.lastOffset = this.head * this.w;
    this.head += 1;
    this.length -= 1;
    return chunk;
  }

  /** A chunk on disk into memory, its file deleted. */
  private load(c: Chunk): void {
    if (c.file === undefined) return;
    const data = this.buffer();
    const fd = openSync(c.file, 'r');
    readSync(fd, data);
    closeSync(fd);
    unlinkSync(c.file);
    c.data = data;
    c.file = undefined;
    this.inMemory += 1;
  }

  lastOffset = 0;

  /** Resident bytes. */
  bytes(): number {
    return (this.inMemory + this.free.length) * CHUNK_STATES * this.w * 4;
  }

  /** The states still queued, in order, for a checkpoint (spilled chunks read back for it). */
  dump(): Uint32Array {
    const out = new Uint32Array(this.length * this.w);
    let o = 0;
    for (const [c, chunk] of this.chunks.entries()) {
      const from = c === 0 ? this.head : 0;
      const to = c === this.chunks.length - 1 ? this.tail : CHUNK_STATES;
      let data = chunk.data;
      if (data === undefined) {
        data = new Uint32Array(CHUNK_STATES * this.w);
        const fd = openSync(chunk.file as string, 'r');
        readSync(fd, data);
        closeSync(fd);
      }
      out.set(data.subarray(from * this.w, to * this.w), o);
      o += (to - from) * this.w;
    }
    return out;
  }
}
