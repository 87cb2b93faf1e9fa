/**
 * What the workers of a parallel search (parallelWorker.ts) send each other, and how much at a time.
 *
 * A record in a batch is the state's words followed by its fingerprint (the two halves `hashPair` computes;
 * the first chooses the owner), the parent's owner and local id, and the action index: everything the owner
 * needs to store it with its predecessor, without hashing it again.
 */

/**
 * From another worker (`from`): a batch of successors (the first `records` records of `buf`); a batch buffer
 * of this worker's, given back once the other has stored its records; its mark that it has expanded its
 * part of the level; its request for work, having expanded its own part; or its answer to this worker's
 * request: `states` states of its part of the level, each its words and its id (none: nothing to give).
 */
export type PeerMessage =
  | { type: 'batch'; buf: Uint32Array<ArrayBuffer>; records: number; from: number }
  | { type: 'free'; buf: Uint32Array<ArrayBuffer>; from: number }
  | { type: 'eol' }
  | { type: 'steal'; from: number }
  | { type: 'loot'; buf: Uint32Array<ArrayBuffer>; states: number; from: number };
export type Batch = Extract<PeerMessage, { type: 'batch' }>;
export type Loot = Extract<PeerMessage, { type: 'loot' }>;

export const BATCH_RECORDS = 1 << 12;
/** Expansions between two takings-in of the other workers' batches (a power of two). */
export const DRAIN_EVERY = 64;
export const EXTRA = 5; // fingerprint (lo, hi), parent worker, parent id, action
/** Where in a record, after the state's words, each of the EXTRA words is. */
export const LO = 0;
export const HI = 1;
export const PARENT_WORKER = 2;
export const PARENT_ID = 3;
export const ACTION = 4;
/** Received records whose probes are prepared together (the store's batch). */
export const PREPARED = 64;
/**
 * Work stealing: a worker gives half of what it has left of its part of a level, at most MAX_LOOT states,
 * and nothing below MIN_STEAL (a few milliseconds of work, worth more than the exchange).
 */
export const MIN_STEAL = 128;
export const MAX_LOOT = 8192;

/** The worker that owns a state with this hash (high bits; the tables index with the low ones). */
export function ownerOf(h: number, workers: number): number {
  return ((h >>> 16) * workers) >>> 16;
}

/**
 * The successors bound for one other worker. A full batch is sent whole (its buffer transferred, not copied)
 * and comes back once stored, to be filled again: a fresh buffer for every batch cost two workers a
 * zero-filled allocation of BATCH_RECORDS records and its page faults each time.
 */
export class Outbox {
  buf: Uint32Array<ArrayBuffer>;
  records = 0;
  /** Buffers given back by the receiver. */
  readonly free: Uint32Array<ArrayBuffer>[] = [];
  private readonly recordWords: number;
  constructor(recordWords: number) {
    this.recordWords = recordWords;
    this.buf = new Uint32Array(BATCH_RECORDS * recordWords);
  }
  /** The next buffer to fill, once `buf` has been sent. */
  next(): void {
    this.buf = this.free.pop() ?? new Uint32Array(BATCH_RECORDS * this.recordWords);
    this.records = 0;
  }
}
