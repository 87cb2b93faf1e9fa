/**
 * Breadth-first search on several cores: the state space is partitioned by hash, each worker thread owns
 * one part (its own store and predecessors) and expands only its own states; a successor owned by another
 * worker is sent to it in batches. Levels are synchronous, so the first level at which any worker finds a
 * violation holds a shortest counterexample, as in the sequential search (which one may differ).
 *
 * Workers build their own copy of the system from a `SystemRecipe` (a module URL, an export, arguments), so
 * the engine stays generic: it never imports a model.
 *
 * Checkpoints (parallelCheckpoint.ts) are written between two levels, where every worker is idle; a stop
 * asks the workers to pause (STOP_PAUSE) rather than drop what is in flight, so the cut level is written too.
 *
 * Over 300 lines: the level loop, its stops and its checkpoints share the coordinator's state (the workers,
 * their inboxes, the level counts), which a split would only pass around.
 */
import { availableParallelism } from 'node:os';
import { MessageChannel, Worker } from 'node:worker_threads';
import { beginCheckpoint, CheckpointError, commitCheckpoint } from './checkpoint.js';
import type { ExploreOptions } from './explore.js';
import { Budget, SLICE_MS } from './limits.js';
import { type ParallelPosition, readParallelPosition } from './parallelCheckpoint.js';
import { SpillDir } from './spill.js';
import type { CoverageCounts, StepFailure, TransitionSystem } from './transitionSystem.js';
import {
  type FailedStep,
  type Incomplete,
  type Stats,
  sumCoverage,
  type TraceStep,
  type Verdict,
  type VerdictParts,
  verdictOf as verdictWith,
} from './verdict.js';

/** How a worker builds its own system: `await (await import(module))[exportName](args)`. */
export interface SystemRecipe {
  readonly module: string;
  readonly exportName: string;
  readonly args: unknown;
}

/** The parallel search stops at its first finding (`continue` is the one-thread search's). */
export interface ParallelOptions extends Omit<ExploreOptions, 'continue'> {
  readonly workers?: number;
  /**
   * For tests of the load balancing: microseconds worker i spends idle before each expansion (a slower
   * core), by worker index.
   */
  readonly handicapMicros?: readonly number[];
}

/**
 * Shared control words: the stop flag, then per worker: states, edges, expanded, and the states of the level
 * it has still to expand (0 once it has expanded its part or stopped: the other workers steal from it).
 */
export const CTRL_STOP = 0;
/** CTRL_STOP's values: stop at once, dropping what is in flight; pause at a consistent cut (a checkpoint). */
export const STOP_HARD = 1;
export const STOP_PAUSE = 2;
const PER_WORKER = 4;
export const ctrlStates = (w: number): number => 1 + PER_WORKER * w;
export const ctrlEdges = (w: number): number => 2 + PER_WORKER * w;
export const ctrlExpanded = (w: number): number => 3 + PER_WORKER * w;
export const ctrlLeft = (w: number): number => 4 + PER_WORKER * w;
/** States stored by every worker, counted as they are stored when --max-states is set (after the workers' words). */
export const ctrlTotal = (workers: number): number => 1 + PER_WORKER * workers;

/** Messages from a worker to the coordinator. */
export type WorkerReport =
  | { readonly type: 'ready' }
  | {
      readonly type: 'level-done';
      readonly states: number;
      readonly edges: number;
      readonly newStates: number;
      /** States of other workers this worker has expanded so far (work stealing). */
      readonly stolen: number;
      readonly stopped: boolean;
      /** First violation found in this level: local id and invariant index. */
      readonly violation?: { readonly id: number; readonly invariant: number };
      /** A step threw: its parent (worker, local id), the action, and the classified failure. */
      readonly failure?: {
        readonly worker: number;
        readonly id: number;
        readonly action: number;
        readonly f: StepFailure;
      };
      readonly allocationFailed?: string;
      /** The worker's coverage counts so far. */
      readonly coverage?: CoverageCounts;
    }
  | { readonly type: 'pred'; readonly worker: number; readonly id: number; readonly action: number }
  | { readonly type: 'saved'; readonly bytes: number }
  /** `checkpoint`: the worker's part of the checkpoint to resume from cannot be read. */
  | { readonly type: 'fatal'; readonly message: string; readonly checkpoint?: boolean };

/** Messages from the coordinator to a worker. */
export type CoordinatorCommand =
  | { readonly type: 'level'; readonly maxDepthReached: boolean }
  | { readonly type: 'pred'; readonly id: number }
  /** Write this worker's part of the checkpoint begun at `dir` (parallelCheckpoint.ts). */
  | { readonly type: 'save'; readonly dir: string; readonly midLevel: boolean }
  | { readonly type: 'exit' };

export function defaultWorkers(): number {
  return Math.max(1, Math.min(availableParallelism(), 8));
}

export async function exploreParallel<A>(
  sys: TransitionSystem<A>,
  recipe: SystemRecipe,
  opts: ParallelOptions = {},
): Promise<Verdict<A>> {
  const n = opts.workers ?? defaultWorkers();
  const budget = new Budget(opts);
  const mode = opts.store ?? 'exact';
  let edges = 0;
  let states = 0;
  let depth = 0;
  // New distinct states per level (level 0: the initial state), as the one-thread search reports them.
  const levels: number[] = [1];
  let stolen = 0;
  const stats = (): Stats => ({ ...budget.stats(states, edges, depth, mode, levels), stolen });
  // Each worker's latest coverage counts (sent with every level), summed into the verdict.
  const counted: CoverageCounts[] = [];
  const verdictOf = (p: VerdictParts<A>): Verdict<A> => {
    const own = sys.coverageCounts?.();
    if (own === undefined || sys.coverageOf === undefined) return verdictWith(p);
    const parts = counted.length > 0 ? counted.filter((c) => c !== undefined) : [own];
    return verdictWith({ ...p, coverage: sys.coverageOf(sumCoverage(parts)) });
  };
  const traceOf = (path: readonly number[], invariant?: number): TraceStep<A>[] =>
    (sys.concretePath?.(path, invariant) ?? path).map((index) => ({ index, action: sys.describe(index) }));
  const stopped = (incomplete: Incomplete): Verdict<A> =>
    verdictOf({ stats: stats(), violations: [], failures: [], ended: 'bound', incomplete });
  const violated = (invariant: number, trace: readonly TraceStep<A>[]): Verdict<A> => {
    const first = { invariant: sys.invariantNames[invariant] as string, trace };
    return verdictOf({ stats: stats(), violations: [first], failures: [], ended: 'first-finding', first });
  };
  {
    const initial = new Uint32Array(sys.stateWords);
    sys.writeInitial(initial, 0);
    sys.load(initial, 0);
    sys.resetCoverage?.();
    const v = sys.check();
    if (v >= 0) {
      states = 1;
      return violated(v, []);
    }
  }
  const ck = opts.checkpoint;
  const resumed = ck?.resume === true ? readParallelPosition(ck.dir, ck.key, n, mode, sys.stateWords) : undefined;
  if (resumed !== undefined) {
    levels.splice(0, levels.length, ...resumed.position.levels);
    depth = resumed.position.depth;
  }
  const ctrl = new Int32Array(new SharedArrayBuffer(4 * (ctrlTotal(n) + 1)));
  // Each worker's next table doublings, in KiB (the memory bound keeps room for them: limits.ts).
  const growth = new Int32Array(new SharedArrayBuffer(4 * n));
  // One spill directory for the search, made now and removed at the end on every path (a process exit hook
  // for a second signal): each worker spills inside it, and a worker stopped by terminate() removes nothing.
  const spill = opts.spillDir === false ? undefined : new SpillDir(opts.spillDir);
  const channels = Array.from({ length: n }, () => Array.from({ length: n }, () => new MessageChannel()));
  const channel = (from: number, to: number): MessageChannel =>
    (channels[from] as MessageChannel[])[to] as MessageChannel;
  const workers: Worker[] = [];
  const inbox: WorkerReport[][] = Array.from({ length: n }, () => []);
  const waiters: (((r: WorkerReport) => void) | undefined)[] = Array.from({ length: n }, () => undefined);
  const next = (w: number): Promise<WorkerReport> =>
    new Promise((resolve) => {
      const queued = inbox[w]?.shift();
      if (queued !== undefined) resolve(queued);
      else waiters[w] = resolve;
    });

  for (let w = 0; w < n; w++) {
    // Port (from -> to) is channels[from][to].port1 at the sender and .port2 at the receiver.
    const sendPorts = Array.from({ length: n }, (_, to) => channel(w, to).port1);
    const recvPorts = Array.from({ length: n }, (_, from) => channel(from, w).port2);
    const ports = [...sendPorts.filter((_, to) => to !== w), ...recvPorts.filter((_, from) => from !== w)];
    const worker = new Worker(new URL('./parallelWorker.js', import.meta.url), {
      workerData: {
        recipe,
        index: w,
        workers: n,
        mode,
        growth,
        ...(Number.isFinite(budget.maxStates) ? { maxStates: budget.maxStates } : {}),
        ctrl,
        sendPorts: sendPorts.map((p, to) => (to === w ? null : p)),
        recvPorts: recvPorts.map((p, from) => (from === w ? null : p)),
        ...(resumed !== undefined ? { resume: resumed.at } : {}),
        ...(opts.handicapMicros?.[w] !== undefined ? { handicapMicros: opts.handicapMicros[w] } : {}),
        ...(spill !== undefined ? { spillDir: spill.make() } : {}),
      },
      transferList: ports,
    });
    worker.on('message', (r: WorkerReport) => {
      const waiter = waiters[w];
      if (waiter !== undefined) {
        waiters[w] = undefined;
        waiter(r);
      } else inbox[w]?.push(r);
    });
    worker.on('error', (e) => {
      const waiter = waiters[w];
      const r: WorkerReport = { type: 'fatal', message: e instanceof Error ? (e.stack ?? e.message) : String(e) };
      if (waiter !== undefined) {
        waiters[w] = undefined;
        waiter(r);
      } else inbox[w]?.push(r);
    });
    workers.push(worker);
  }

  let stopReason: Incomplete | undefined;
  const liveCounts = (): { states: number; edges: number; expanded: number } => {
    let s = 0;
    let e = 0;
    let x = 0;
    for (let w = 0; w < n; w++) {
      s += Atomics.load(ctrl, ctrlStates(w));
      e += Atomics.load(ctrl, ctrlEdges(w));
      x += Atomics.load(ctrl, ctrlExpanded(w));
    }
    return { states: s, edges: e, expanded: x };
  };
  // The bounds are polled once a slice, as the one-thread driver does between its slices.
  const timer = setInterval(() => {
    const now = performance.now();
    const c = liveCounts();
    let growing = 0;
    for (let w = 0; w < n; w++) growing += Atomics.load(growth, w) * 1024;
    const full = budget.states(c.states);
    const stop = budget.time(now) ?? budget.memory(growing) ?? full ?? budget.interrupted();
    if (stop !== undefined) {
      stopReason ??= stop;
      // Checkpointing: the workers pause at a cut a checkpoint can hold (not past --max-states, though).
      if (ck === undefined || full !== undefined) Atomics.store(ctrl, CTRL_STOP, STOP_HARD);
      else Atomics.compareExchange(ctrl, CTRL_STOP, 0, STOP_PAUSE);
    }
    budget.progress(now, () => {
      const seconds = budget.seconds(now);
      const frontier = c.states - c.expanded;
      return { states: c.states, edges: c.edges, depth, frontier, seconds, statesPerSecond: c.states / seconds };
    });
  }, SLICE_MS);

  /** Action indices from the initial state to (worker, id), asking each owner for its predecessor. */
  const pathTo = async (worker: number, id: number): Promise<number[]> => {
    const path: number[] = [];
    let w = worker;
    let s = id;
    for (;;) {
      (workers[w] as Worker).postMessage({ type: 'pred', id: s } satisfies CoordinatorCommand);
      const r = await next(w);
      if (r.type !== 'pred') throw new Error(`parallel search: expected a predecessor, got ${r.type}`);
      if (r.worker < 0) break;
      path.push(r.action);
      w = r.worker;
      s = r.id;
    }
    return path.reverse();
  };

  let savedAt = performance.now();
  /**
   * Writes a checkpoint between two levels (every worker idle): `level` is the one to run next, and the
   * figures are those of the levels before it (`done` of them, the depth then `deep`).
   */
  const save = async (level: number, midLevel: boolean, done = levels.length, deep = depth): Promise<void> => {
    if (ck === undefined) return;
    const t0 = performance.now();
    const dir = beginCheckpoint(ck.dir);
    for (const worker of workers) worker.postMessage({ type: 'save', dir, midLevel } satisfies CoordinatorCommand);
    let bytes = 0;
    for (let w = 0; w < n; w++) {
      const r = await next(w);
      if (r.type !== 'saved') throw new Error(`parallel search: expected a checkpoint part, got ${r.type}`);
      bytes += r.bytes;
    }
    const position: ParallelPosition = {
      ...{ key: ck.key, workers: n, mode, words: sys.stateWords, level },
      ...{ levels: levels.slice(0, done), depth: deep },
    };
    savedAt = performance.now();
    commitCheckpoint(ck.dir, { ...position, written: { bytes, seconds: (savedAt - t0) / 1000 } });
  };

  try {
    for (let w = 0; w < n; w++) {
      const r = await next(w);
      if (r.type === 'fatal') throw r.checkpoint === true ? new CheckpointError(r.message) : new Error(r.message);
    }
    let level = resumed?.position.level ?? 0;
    for (;;) {
      const tooDeep = budget.depth(level);
      if (tooDeep !== undefined) {
        const c = liveCounts();
        if (c.states > c.expanded) {
          states = c.states;
          edges = c.edges;
          await save(level, false);
          return stopped(tooDeep);
        }
      }
      const before = { levels: levels.length, depth };
      for (const worker of workers)
        worker.postMessage({ type: 'level', maxDepthReached: false } satisfies CoordinatorCommand);
      const reports: WorkerReport[] = [];
      for (let w = 0; w < n; w++) reports.push(await next(w));
      let newStates = 0;
      states = 0;
      edges = 0;
      stolen = 0;
      let anyStopped = false;
      for (const [w, r] of reports.entries()) {
        if (r.type === 'fatal') throw new Error(r.message);
        if (r.type !== 'level-done') throw new Error(`parallel search: unexpected ${r.type}`);
        states += r.states;
        edges += r.edges;
        stolen += r.stolen;
        if (r.coverage !== undefined) counted[w] = r.coverage;
        newStates += r.newStates;
        anyStopped ||= r.stopped;
      }
      if (newStates > 0) {
        depth = level + 1;
        levels.push(newStates);
      }
      for (const [w, r] of reports.entries()) {
        if (r.type !== 'level-done') continue;
        if (r.allocationFailed !== undefined) return stopped({ reason: 'memory', detail: r.allocationFailed });
        if (r.failure !== undefined) {
          const path = await pathTo(r.failure.worker, r.failure.id);
          const first: FailedStep<A> = { ...r.failure.f, trace: traceOf([...path, r.failure.action]) };
          return verdictOf({ stats: stats(), violations: [], failures: [first], ended: 'first-finding', first });
        }
        if (r.violation !== undefined)
          return violated(r.violation.invariant, traceOf(await pathTo(w, r.violation.id), r.violation.invariant));
      }
      if (anyStopped || stopReason !== undefined) {
        // Paused (not stopped hard): the level resumes where each worker left it.
        if (Atomics.load(ctrl, CTRL_STOP) !== STOP_HARD) await save(level, true, before.levels, before.depth);
        // The states bound read on the final figures, so the message and the figures agree.
        return stopped(budget.states(states) ?? stopReason ?? { reason: 'interrupted', detail: 'interrupted' });
      }
      const full = budget.states(states);
      if (full !== undefined) {
        await save(level + 1, false);
        return stopped(full);
      }
      if (newStates === 0) return verdictOf({ stats: stats(), violations: [], failures: [], ended: 'exhausted' });
      level += 1;
      if (ck !== undefined && performance.now() - savedAt >= ck.everyMs) await save(level, false);
    }
  } finally {
    clearInterval(timer);
    for (const worker of workers) worker.postMessage({ type: 'exit' } satisfies CoordinatorCommand);
    await Promise.all(workers.map((w) => w.terminate()));
    spill?.remove();
  }
}
