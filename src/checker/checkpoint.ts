/**
 * Checkpoints of a one-thread breadth-first search (explore.ts), and resuming from one.
 *
 * A breadth-first search expands states in id order, so between two expansions its whole future is fixed by
 * what it has stored: the seen set, the predecessors, the queue (fingerprint mode; exact mode expands
 * straight from the store), the cursor and the level boundaries, the figures so far. A checkpoint writes
 * exactly that, and a resumed search continues from the cursor to the same counts and the same shortest
 * counterexamples as a search that was never stopped. TLC's checkpoints are the model for this.
 *
 * Files: DIR/current/{meta.json, states.bin, preds.bin[, queue.bin]} (a parallel search: meta.json and
 * one such set per worker, parallelCheckpoint.ts). A new checkpoint is written to DIR/next and then renamed
 * over `current` (the old one is kept as `previous` until then), so a process killed while writing leaves
 * the last complete checkpoint in place.
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
  const next = beginCheckpoint(dir);
  writeStateFiles(next, c);
  commitCheckpoint(dir, c.position);
}

/** Starts a new checkpoint in DIR/next (emptied first); returns its path. */
export function beginCheckpoint(dir: string): string {
  const next = join(dir, 'next');
  rmSync(next, { recursive: true, force: true });
  mkdirSync(next, { recursive: true });
  return next;
}

/** A search's (or one parallel worker's) states, predecessors and queue, written to `at`. */
export function writeStateFiles(at: string, c: Omit<Checkpoint, 'position'>): void {
  mkdirSync(at, { recursive: true });
  writeFileSync(join(at, 'states.bin'), bytes(c.states));
  writeFileSync(join(at, 'preds.bin'), Buffer.concat([bytes(c.parent), bytes(c.action)]));
  if (c.queue !== undefined) writeFileSync(join(at, 'queue.bin'), bytes(c.queue));
}

/**
 * Ends the checkpoint begun in DIR/next: meta.json last (a directory without it is not a checkpoint), then
 * `next` renamed over `current`.
 */
export function commitCheckpoint(dir: string, meta: unknown): void {
  const next = join(dir, 'next');
  writeFileSync(join(next, 'meta.json'), JSON.stringify(meta));
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

/** The newest complete checkpoint directory in `dir` (current, or previous while a rename was cut short). */
export function findCheckpoint(dir: string): string {
  const at = ['current', 'previous'].map((d) => join(dir, d)).find((d) => existsSync(join(d, 'meta.json')));
  if (at === undefined) throw new CheckpointError(`--resume: ${dir}: expected a checkpoint directory, got none there`);
  return at;
}

/** A JSON file of a checkpoint. */
export function readJson<T>(file: string): T {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (e) {
    throw new CheckpointError(`--resume: ${file}: expected JSON, got ${(e as Error).message}`);
  }
}

/**
 * Refuses a checkpoint of another search (`key`) or of another number of workers (a one-thread checkpoint
 * has no `workers`: 1). States are partitioned by hash among the workers, so a checkpoint of N workers
 * resumes on N.
 */
export function checkSearch(dir: string, meta: { key: string; workers?: number }, key: string, workers: number): void {
  const got = meta.workers ?? 1;
  if (got !== workers) {
    const of = (k: number): string => `${k} worker${k === 1 ? '' : 's'}`;
    throw new CheckpointError(
      `--resume: ${dir}: expected a checkpoint of ${of(workers)} (--workers), got one of ${of(got)}: resume with --workers ${got}`,
    );
  }
  if (meta.key !== key) {
    throw new CheckpointError(
      `--resume: ${dir}: expected a checkpoint of this search (same bounds, store and options), got one of ${meta.key}`,
    );
  }
}

/**
 * States, predecessors and queue of `size` states, as `writeStateFiles` wrote them to `at`; `stored`: the
 * words the states file must hold (exact store; a fingerprint table has its own size).
 */
export function readStateFiles(at: string, size: number, stored?: number): Omit<Checkpoint, 'position'> {
  const states = u32(readFileSync(join(at, 'states.bin')));
  const preds = u32(readFileSync(join(at, 'preds.bin')));
  if ((stored !== undefined && states.length !== stored) || preds.length !== 2 * size) {
    throw new CheckpointError(`--resume: ${at}: expected files for ${size} states, got truncated ones`);
  }
  const queueFile = join(at, 'queue.bin');
  return {
    states,
    parent: new Int32Array(preds.buffer, 0, size),
    action: new Uint32Array(preds.buffer, 4 * size, size),
    ...(existsSync(queueFile) ? { queue: u32(readFileSync(queueFile)) } : {}),
  };
}

/** Reads the newest complete checkpoint in `dir`, for the one-thread search named `key`. */
export function readCheckpoint(dir: string, key: string): Checkpoint {
  const at = findCheckpoint(dir);
  const position = readJson<SearchPosition & { workers?: number }>(join(at, 'meta.json'));
  checkSearch(dir, position, key, 1);
  const n = position.size;
  const files = readStateFiles(at, n, position.mode === 'exact' ? n * position.words : undefined);
  return { position, ...files };
}
