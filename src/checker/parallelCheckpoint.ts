/**
 * Checkpoints of the parallel search (parallel.ts, parallelWorker.ts), and resuming from one.
 *
 * Levels are synchronous: when every worker has reported a level, none is expanding and no batch is in
 * flight, so each worker's store, predecessors (with the owners of cross-worker parents), queue, cursor and
 * counters, with the coordinator's level counts, are the whole future of the search. A stop (a bound, Ctrl-C,
 * SIGTERM) is such a cut too: the coordinator asks the workers to pause rather than to drop what they have,
 * each stops after the state it is expanding, sends what it has generated and stores what it receives, so
 * the level in progress resumes from each worker's cursor (mid-level). `--max-states` is a hard stop (the
 * states past the bound are dropped, as without checkpoints) and writes none: the last one stands.
 *
 * Files: DIR/current/meta.json (the coordinator's figures and the number of workers) and DIR/current/wK/
 * {part.json, states.bin, preds.bin, owners.bin[, queue.bin]} for worker K, each written by its worker to
 * DIR/next/wK and renamed with the rest (checkpoint.ts). States are partitioned by hash among the workers, so
 * a checkpoint resumes on as many workers as wrote it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CheckpointError,
  checkSearch,
  findCheckpoint,
  readJson,
  readStateFiles,
  writeStateFiles,
} from './checkpoint.js';

/** The coordinator's part: what the level loop needs to go on. */
export interface ParallelPosition {
  readonly key: string;
  readonly workers: number;
  readonly mode: 'exact' | 'fingerprint';
  readonly words: number;
  /** The level to run next (the one a pause cut short, or the one after a complete level). */
  readonly level: number;
  /** New distinct states of each complete level. */
  readonly levels: readonly number[];
  readonly depth: number;
}

/** One worker's scalars. */
export interface WorkerPosition {
  readonly size: number;
  /**
   * States expanded or given to another worker to expand (exact: the next id to expand; fingerprint: states
   * popped, which are ids too).
   */
  readonly cursor: number;
  /** The id where the level in progress ends. */
  readonly levelEnd: number;
  /** True when the level was cut short: the resumed worker goes on with it up to `levelEnd`. */
  readonly midLevel: boolean;
  readonly edges: number;
  /** Other workers' states this one has expanded (work stealing); absent in older checkpoints. */
  readonly stolen?: number;
  /** The system's counters (coverage, figures): TransitionSystem.saveCounters. */
  readonly counters?: unknown;
}

export interface WorkerPart {
  readonly position: WorkerPosition;
  readonly states: Uint32Array;
  /** The owner of each state's parent (-1: the initial state), two bytes a state (workers may pass 127). */
  readonly parentWorker: Int16Array;
  readonly parentId: Int32Array;
  readonly parentAction: Uint32Array;
  readonly queue?: Uint32Array;
}

export const partDir = (at: string, worker: number): string => join(at, `w${worker}`);

/** Writes worker `worker`'s part of the checkpoint begun at `next` (beginCheckpoint). */
export function writeWorkerPart(next: string, worker: number, p: WorkerPart): number {
  const at = partDir(next, worker);
  const { position, states, parentId, parentAction, parentWorker, queue } = p;
  writeStateFiles(at, { states, parent: parentId, action: parentAction, ...(queue !== undefined ? { queue } : {}) });
  writeFileSync(join(at, 'owners.bin'), parentWorker);
  writeFileSync(join(at, 'part.json'), JSON.stringify(position));
  return states.byteLength + 10 * position.size + (queue?.byteLength ?? 0);
}

/** Worker `worker`'s part of the checkpoint at `at` (a complete one: findCheckpoint). */
export function readWorkerPart(at: string, worker: number, mode: 'exact' | 'fingerprint', words: number): WorkerPart {
  const dir = partDir(at, worker);
  const position = readJson<WorkerPosition>(join(dir, 'part.json'));
  const n = position.size;
  const files = readStateFiles(dir, n, mode === 'exact' ? n * words : undefined);
  const owners = readFileSync(join(dir, 'owners.bin'));
  if (owners.byteLength !== 2 * n) {
    throw new CheckpointError(
      `--resume: ${dir}: owners.bin: expected ${2 * n} bytes (2 a state), got ${owners.byteLength}`,
    );
  }
  return {
    position,
    states: files.states,
    parentWorker: new Int16Array(owners.buffer.slice(owners.byteOffset, owners.byteOffset + 2 * n)),
    parentId: files.parent,
    parentAction: files.action,
    ...(files.queue !== undefined ? { queue: files.queue } : {}),
  };
}

/**
 * The coordinator's part of the newest complete checkpoint in `dir`, and where it is, refused unless it is
 * one of this search (`key`) on `workers` workers with this store.
 */
export function readParallelPosition(
  dir: string,
  key: string,
  workers: number,
  mode: 'exact' | 'fingerprint',
  words: number,
): { at: string; position: ParallelPosition } {
  const at = findCheckpoint(dir);
  const position = readJson<ParallelPosition>(join(at, 'meta.json'));
  checkSearch(dir, position, key, workers);
  if (position.mode !== mode || position.words !== words) {
    throw new CheckpointError(
      `--resume: ${dir}: expected a ${mode} store of ${words} words, got ${position.mode} of ${position.words}`,
    );
  }
  return { at, position };
}
