/**
 * The breadth-first queue of encoded states, for fingerprint mode (exact mode expands states straight from
 * the store, since ids are in breadth-first order). Chunks are released as soon as they are consumed, so the
 * queue holds about two BFS levels at most.
 */
const CHUNK_STATES = 1 << 15;

export class Frontier {
  private readonly w: number;
  private readonly chunks: Uint32Array[] = [];
  private head = 0; // states consumed from chunks[0]
  private tail = CHUNK_STATES; // states written to the last chunk
  length = 0;

  constructor(words: number) {
    this.w = words;
  }

  push(src: Uint32Array, at: number): void {
    if (this.tail === CHUNK_STATES) {
      this.chunks.push(new Uint32Array(CHUNK_STATES * this.w));
      this.tail = 0;
    }
    const chunk = this.chunks[this.chunks.length - 1] as Uint32Array;
    chunk.set(src.subarray(at, at + this.w), this.tail * this.w);
    this.tail += 1;
    this.length += 1;
  }

  /** The next state: its chunk, and the offset is `lastOffset` (valid until the next `pop`). */
  pop(): Uint32Array {
    if (this.head === CHUNK_STATES) {
      this.chunks.shift();
      this.head = 0;
    }
    const chunk = this.chunks[0] as Uint32Array;
    this.lastOffset = this.head * this.w;
    this.head += 1;
    this.length -= 1;
    return chunk;
  }

  lastOffset = 0;

  bytes(): number {
    return this.chunks.length * CHUNK_STATES * this.w * 4;
  }

  /** The states still queued, in order, for a checkpoint. */
  dump(): Uint32Array {
    const out = new Uint32Array(this.length * this.w);
    let o = 0;
    for (const [c, chunk] of this.chunks.entries()) {
      const from = c === 0 ? this.head : 0;
      const to = c === this.chunks.length - 1 ? this.tail : CHUNK_STATES;
      out.set(chunk.subarray(from * this.w, to * this.w), o);
      o += (to - from) * this.w;
    }
    return out;
  }
}
