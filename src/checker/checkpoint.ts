/**
 * Checkpoints of a one-thread breadth-first search (explore.ts), and resuming from one.
 *
 * A breadth-first search expands states in id order, so between two expansions its whole future is fixed by
 * what it has stored: the seen set, the predecessors, the queue (fingerprint mode; exact mode expands
 * straight from the store), the cursor and the level boundaries, the figures so far. A checkpoint writes
 * exactly that, and a resumed search continues from the cursor to the same counts and the same shortest
 * counterexamples as a search that was never stopped. TLC's checkpoints are the model for this.
 *
 * Files: DIR/current/{meta.json, states.bin, preds.bin[, queue.bin]}. A new checkpoint is written to
 * DIR/next and then renamed over `current` (the old one is kept as `previous` until then), so a process
 * killed while writing leaves the last complete checkpoint in place.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where and how often to checkpoint; `key` names the search (bounds, store, options) a checkpoint is for. */
export interface CheckpointOptions {
  readonly dir: string;
  /** Write one at most this often (0: at every slice, about 10 a second). */
  readonly everyMs: number;
  readonly key: string;
  /** Start from the checkpoint in `dir` instead of the initial state. */
  readonly resume?: boolean;
}

/** The search's scalars, as meta.json holds them. */
export interface SearchPosition {
  readonly key: string;
  readonly mode: 'exact' | 'fingerprint';
  readonly words: number;
  readonly size: number;
  readonly cursor: number;
  readonly level: number;
  readonly levelEnd: number;
  readonly ends: readonly number[];
  readonly edges: number;
  readonly depth: number;
  readonly firstBad: readonly number[];
  readonly headline: number;
  readonly open: number;
  /** Failing steps so far: kind, message, and the action indices of their traces. */
  readonly failures: readonly unknown[];
  /** The system's own counters (coverage, figures): TransitionSystem.saveCounters. */
  readonly counters?: unknown;
}

export interface Checkpoint {
  readonly position: SearchPosition;
  readonly states: Uint32Array;
  readonly parent: Int32Array;
  readonly action: Uint32Array;
  /** Fingerprint mode: the states still to expand. */
  readonly queue?: Uint32Array;
}

/** A checkpoint that cannot be read or is for another search. */
export class CheckpointError extends Error {
  override name = 'CheckpointError';
}

const bytes = (a: Uint32Array | Int32Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

export function writeCheckpoint(dir: string, c: Checkpoint): void {
  const next = join(dir, 'next');
  rmSync(next, { recursive: true, force: true });
  mkdirSync(next, { recursive: true });
  writeFileSync(join(next, 'states.bin'), bytes(c.states));
  writeFileSync(join(next, 'preds.bin'), Buffer.concat([bytes(c.parent), bytes(c.action)]));
  if (c.queue !== undefined) writeFileSync(join(next, 'queue.bin'), bytes(c.queue));
  // meta.json last: a directory without it is not a checkpoint.
  writeFileSync(join(next, 'meta.json'), JSON.stringify(c.position));
  const current = join(dir, 'current');
  const previous = join(dir, 'previous');
  rmSync(previous, { recursive: true, force: true });
  if (existsSync(current)) renameSync(current, previous);
  renameSync(next, current);
  rmSync(previous, { recursive: true, force: true });
}

const u32 = (b: Buffer): Uint32Array => {
  const copy = new Uint8Array(b.byteLength);
  copy.set(b);
  return new Uint32Array(copy.buffer);
};

/** Reads the newest complete checkpoint in `dir`, for the search named `key`. */
export function readCheckpoint(dir: string, key: string): Checkpoint {
  const at = ['current', 'previous'].map((d) => join(dir, d)).find((d) => existsSync(join(d, 'meta.json')));
  if (at === undefined) throw new CheckpointError(`--resume: ${dir}: expected a checkpoint directory, got none there`);
  let position: SearchPosition;
  try {
    position = JSON.parse(readFileSync(join(at, 'meta.json'), 'utf8')) as SearchPosition;
  } catch (e) {
    throw new CheckpointError(`--resume: ${join(at, 'meta.json')}: expected JSON, got ${(e as Error).message}`);
  }
  if (position.key !== key) {
    throw new CheckpointError(
      `--resume: ${dir}: expected a checkpoint of this search (same bounds, store and options), got one of ${position.key}`,
    );
  }
  const states = u32(readFileSync(join(at, 'states.bin')));
  const preds = u32(readFileSync(join(at, 'preds.bin')));
  const n = position.size;
  const stored = position.mode === 'exact' ? n * position.words : states.length;
  if (states.length !== stored || preds.length !== 2 * n) {
    throw new CheckpointError(`--resume: ${at}: expected files for ${n} states, got truncated ones`);
  }
  const queueFile = join(at, 'queue.bin');
  return {
    position,
    states,
    parent: new Int32Array(preds.buffer, 0, n),
    action: new Uint32Array(preds.buffer, 4 * n, n),
    ...(existsSync(queueFile) ? { queue: u32(readFileSync(queueFile)) } : {}),
  };
}
