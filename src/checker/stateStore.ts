/**
 * The seen set and the predecessor of every state, as TLC keeps them: state ids are assigned in order of
 * discovery, so in a breadth-first search they are also the order of expansion.
 *
 * Exact mode stores every encoding (exactStore.ts: an arena of fixed-width records with a dense index of
 * ids). Fingerprint mode stores only 64-bit fingerprints (fingerprintStore.ts: 8 bytes a slot, dense): far
 * less memory, at the price of a small, reported probability that two states were taken for one. Both
 * tables grow in place (reserve.ts); the predecessors (predecessors.ts) can spill to disk (spill.ts).
 */
export { ExactStore } from './exactStore.js';
export { FingerprintStore } from './fingerprintStore.js';
export { Predecessors } from './predecessors.js';

export interface StateStore {
  readonly mode: 'exact' | 'fingerprint';
  /** Distinct states stored. */
  readonly size: number;
  /**
   * Adds the state at `src[at..]` if unseen: returns its new id, or -1 if it was seen before. `h` is its
   * `hashWords(.., SEED_LO)` when the caller has it already.
   */
  add(src: Uint32Array, at: number, h?: number): number;
  /**
   * Hashes a batch of `count` states at `src[at + k * stride..]` (default: `at` 0, packed, stride the
   * state's words) and touches the memory their probes will read, so that the cache misses of a batch
   * overlap; `addPrepared(src, k)` then adds the `k`th, as `add` would. `hashAt`: where in each record its
   * fingerprint already is, `hashWords(.., SEED_LO)` then `hashWords(.., SEED_HI)` (`hashPair`: a parallel
   * worker's records carry it), so that it is not computed again.
   */
  prepare(src: Uint32Array, count: number, stride?: number, at?: number, hashAt?: number): void;
  addPrepared(src: Uint32Array, k: number): number;
  /** Resident bytes of the store's own arrays. */
  bytes(): number;
  /** Bytes the table's next growth touches (limits.ts keeps room for them). */
  growthBytes(): number;
}

/**
 * TLC's "optimistic" estimate of the probability that fingerprinting merged two distinct states:
 * n (m - n) / 2^64 for n distinct states found among m generated.
 */
export function collisionProbability(states: number, generated: number): number {
  return (states * Math.max(0, generated - states)) / 2 ** 64;
}
