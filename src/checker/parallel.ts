/**
 * Breadth-first search on several cores: the state space is partitioned by hash, each worker thread owns
 * one part (its own store and predecessors) and expands only its own states; a successor owned by another
 * worker is sent to it in batches. Levels are synchronous, so the first level at which any worker finds a
 * violation holds a shortest counterexample, as in the sequential search (which one may differ).
 *
 * Workers build their own copy of the system from a `SystemRecipe` (a module URL, an export, arguments), so
 * the engine stays generic: it never imports a model.
 */
import { availableParallelism } from 'node:os';
import { MessageChannel, Worker } from 'node:worker_threads';
import type { ExploreOptions } from './explore.js';
import { collisionProbability } from './stateStore.js';
import type { StepFailure, TransitionSystem } from './transitionSystem.js';
import type { IncompleteReason, Stats, TraceStep, Verdict } from './verdict.js';

/** How a worker builds its own system: `(await import(module))[exportName](args)`. */
export interface SystemRecipe {
  readonly module: string;
  readonly exportName: string;
  readonly args: unknown;
}

export interface ParallelOptions extends ExploreOptions {
  readonly workers?: number;
}

/** Shared control words: the stop flag, then per worker: states, edges, expanded. */
export const CTRL_STOP = 0;
export const ctrlStates = (w: number): number => 1 + 3 * w;
export const ctrlEdges = (w: number): number => 2 + 3 * w;
export const ctrlExpanded = (w: number): number => 3 + 3 * w;

/** Messages from a worker to the coordinator. */
export type WorkerReport =
  | { readonly type: 'ready' }
  | {
      readonly type: 'level-done';
      readonly states: number;
      readonly edges: number;
      readonly newStates: number;
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
    }
  | { readonly type: 'pred'; readonly worker: number; readonly id: number; readonly action: number }
  | { readonly type: 'fatal'; readonly message: string };

/** Messages from the coordinator to a worker. */
export type CoordinatorCommand =
  | { readonly type: 'level'; readonly maxDepthReached: boolean }
  | { readonly type: 'pred'; readonly id: number }
  | { readonly type: 'exit' };

export function defaultWorkers(): number {
  return Math.max(1, Math.min(availableParallelism(), 8));
}

function peakRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}

export async function exploreParallel<A>(
  sys: TransitionSystem<A>,
  recipe: SystemRecipe,
  opts: ParallelOptions = {},
): Promise<Verdict<A>> {
  const n = opts.workers ?? defaultWorkers();
  const t0 = performance.now();
  {
    const initial = new Uint32Array(sys.stateWords);
    sys.writeInitial(initial, 0);
    sys.load(initial, 0);
    const v = sys.check();
    if (v >= 0) {
      const seconds = (performance.now() - t0) / 1000;
      const s: Stats = {
        states: 1,
        edges: 0,
        depth: 0,
        seconds,
        statesPerSecond: 1 / seconds,
        peakRssBytes: peakRssBytes(),
        store: opts.store ?? 'exact',
      };
      return { kind: 'invariant-violated', invariant: sys.invariantNames[v] as string, trace: [], stats: s };
    }
  }
  const mode = opts.store ?? 'exact';
  const ctrl = new Int32Array(new SharedArrayBuffer(4 * (1 + 3 * n)));
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
        ctrl,
        sendPorts: sendPorts.map((p, to) => (to === w ? null : p)),
        recvPorts: recvPorts.map((p, from) => (from === w ? null : p)),
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

  let edges = 0;
  let states = 0;
  let depth = 0;
  let stopReason: { reason: IncompleteReason; detail: string } | undefined;
  const maxMs = (opts.maxSeconds ?? Number.POSITIVE_INFINITY) * 1000;
  const maxRss = opts.maxMemoryBytes ?? Number.POSITIVE_INFINITY;
  const maxStates = opts.maxStates ?? Number.POSITIVE_INFINITY;
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
  const stop = (reason: IncompleteReason, detail: string): void => {
    if (stopReason === undefined) stopReason = { reason, detail };
    Atomics.store(ctrl, CTRL_STOP, 1);
  };
  let lastProgress = t0;
  const timer = setInterval(() => {
    const now = performance.now();
    const c = liveCounts();
    if (now - t0 > maxMs) stop('time', `stopped after ${opts.maxSeconds} s (--max-seconds)`);
    if (process.memoryUsage.rss() > maxRss) {
      stop('memory', `resident memory passed ${Math.round(maxRss / 2 ** 20)} MiB`);
    }
    if (c.states >= maxStates) stop('states', `stopped at ${c.states} states (--max-states ${maxStates})`);
    if (opts.signal?.aborted) stop('interrupted', 'interrupted');
    const every = (opts.progressEverySeconds ?? 1) * 1000;
    if (opts.onProgress !== undefined && now - lastProgress >= every) {
      lastProgress = now;
      const seconds = (now - t0) / 1000;
      opts.onProgress({
        states: c.states,
        edges: c.edges,
        depth,
        frontier: c.states - c.expanded,
        seconds,
        statesPerSecond: c.states / seconds,
      });
    }
  }, 100);

  const stats = (): Stats => {
    const seconds = (performance.now() - t0) / 1000;
    const base = {
      states,
      edges,
      depth,
      seconds,
      statesPerSecond: seconds > 0 ? states / seconds : states,
      peakRssBytes: peakRssBytes(),
      store: mode,
    } as const;
    return mode === 'fingerprint' ? { ...base, collisionProbability: collisionProbability(states, edges + 1) } : base;
  };

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
  const traceOf = (path: readonly number[]): TraceStep<A>[] =>
    path.map((index) => ({ index, action: sys.describe(index) }));

  try {
    for (let w = 0; w < n; w++) {
      const r = await next(w);
      if (r.type === 'fatal') throw new Error(r.message);
    }
    const maxDepth = opts.maxDepth ?? Number.POSITIVE_INFINITY;
    let level = 0;
    for (;;) {
      if (level >= maxDepth) {
        const c = liveCounts();
        if (c.states > c.expanded) {
          states = c.states;
          edges = c.edges;
          return {
            kind: 'incomplete',
            reason: 'depth',
            detail: `states at depth ${level} were not expanded (--max-depth ${maxDepth})`,
            stats: stats(),
          };
        }
      }
      for (const worker of workers)
        worker.postMessage({ type: 'level', maxDepthReached: false } satisfies CoordinatorCommand);
      const reports: WorkerReport[] = [];
      for (let w = 0; w < n; w++) reports.push(await next(w));
      let newStates = 0;
      states = 0;
      edges = 0;
      let stopped = false;
      for (const r of reports) {
        if (r.type === 'fatal') throw new Error(r.message);
        if (r.type !== 'level-done') throw new Error(`parallel search: unexpected ${r.type}`);
        states += r.states;
        edges += r.edges;
        newStates += r.newStates;
        stopped ||= r.stopped;
      }
      if (newStates > 0) depth = level + 1;
      for (const [w, r] of reports.entries()) {
        if (r.type !== 'level-done') continue;
        if (r.allocationFailed !== undefined) {
          return { kind: 'incomplete', reason: 'memory', detail: r.allocationFailed, stats: stats() };
        }
        if (r.failure !== undefined) {
          const path = await pathTo(r.failure.worker, r.failure.id);
          return {
            kind: r.failure.f.kind,
            message: r.failure.f.message,
            trace: traceOf([...path, r.failure.action]),
            stats: stats(),
          };
        }
        if (r.violation !== undefined) {
          const path = await pathTo(w, r.violation.id);
          return {
            kind: 'invariant-violated',
            invariant: sys.invariantNames[r.violation.invariant] as string,
            trace: traceOf(path),
            stats: stats(),
          };
        }
      }
      if (stopped || stopReason !== undefined) {
        const s = stopReason ?? { reason: 'interrupted' as const, detail: 'interrupted' };
        return { kind: 'incomplete', reason: s.reason, detail: s.detail, stats: stats() };
      }
      if (states >= maxStates) {
        return {
          kind: 'incomplete',
          reason: 'states',
          detail: `stopped at ${states} states (--max-states ${maxStates})`,
          stats: stats(),
        };
      }
      if (newStates === 0) return { kind: 'success', stats: stats() };
      level += 1;
    }
  } finally {
    clearInterval(timer);
    for (const worker of workers) worker.postMessage({ type: 'exit' } satisfies CoordinatorCommand);
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
