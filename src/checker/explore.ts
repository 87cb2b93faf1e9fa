/**
 * Exhaustive breadth-first search over a `TransitionSystem`, stopping at the first violation, which is then
 * a shortest one (states are discovered in order of depth, and every state is checked when discovered).
 *
 * The loop runs in slices and yields to the event loop between them, so an interrupt (SIGINT) or a bound
 * ends the search with an `incomplete` verdict that reports what was explored, and progress can be shown.
 */
import { Frontier } from './frontier.js';
import { collisionProbability, ExactStore, FingerprintStore, Predecessors, type StateStore } from './stateStore.js';
import type { TransitionSystem } from './transitionSystem.js';
import { type IncompleteReason, isAllocationFailure, type Stats, type TraceStep, type Verdict } from './verdict.js';

export interface Progress {
  readonly states: number;
  readonly edges: number;
  readonly depth: number;
  readonly frontier: number;
  readonly seconds: number;
  readonly statesPerSecond: number;
}

export interface ExploreOptions {
  readonly store?: 'exact' | 'fingerprint';
  /** Do not expand states at this depth or deeper. */
  readonly maxDepth?: number;
  readonly maxStates?: number;
  readonly maxSeconds?: number;
  /** Resident set size above which the search stops. */
  readonly maxMemoryBytes?: number;
  readonly signal?: AbortSignal;
  /** Called about every `progressEverySeconds` with the figures so far. */
  readonly onProgress?: (p: Progress) => void;
  readonly progressEverySeconds?: number;
}

const SLICE_MS = 100;
const CHECK_EVERY = 1024;

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function peakRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}

export async function explore<A>(sys: TransitionSystem<A>, opts: ExploreOptions = {}): Promise<Verdict<A>> {
  const mode = opts.store ?? 'exact';
  const w = sys.stateWords;
  const exact = mode === 'exact' ? new ExactStore(w) : undefined;
  const store: StateStore = exact ?? new FingerprintStore(w);
  const frontier = exact === undefined ? new Frontier(w) : undefined;
  const preds = new Predecessors();
  const scratch = new Uint32Array(w);
  const maxDepth = opts.maxDepth ?? Number.POSITIVE_INFINITY;
  const maxStates = opts.maxStates ?? Number.POSITIVE_INFINITY;
  const maxMs = (opts.maxSeconds ?? Number.POSITIVE_INFINITY) * 1000;
  const maxRss = opts.maxMemoryBytes ?? Number.POSITIVE_INFINITY;
  const progressMs = (opts.progressEverySeconds ?? 1) * 1000;

  const t0 = performance.now();
  let edges = 0;
  let depth = 0; // deepest level discovered
  let level = 0; // level of the states being expanded
  let cursor = 0; // id of the next state to expand
  let levelEnd = 1;
  let lastProgress = t0;

  const stats = (): Stats => {
    const seconds = (performance.now() - t0) / 1000;
    const base = {
      states: store.size,
      edges,
      depth,
      seconds,
      statesPerSecond: seconds > 0 ? store.size / seconds : store.size,
      peakRssBytes: peakRssBytes(),
      store: mode,
    } as const;
    return mode === 'fingerprint'
      ? {
          ...base,
          collisionProbability: collisionProbability(store.size, edges + 1),
        }
      : base;
  };
  const traceOf = (path: readonly number[]): TraceStep<A>[] =>
    path.map((index) => ({ index, action: sys.describe(index) }));
  const incomplete = (reason: IncompleteReason, detail: string): Verdict<A> => ({
    kind: 'incomplete',
    reason,
    detail,
    stats: stats(),
  });
  const failed = (e: unknown, path: readonly number[]): Verdict<A> => {
    if (isAllocationFailure(e)) {
      return incomplete('memory', `allocation failed: ${e.message}`);
    }
    const f = sys.classify(e);
    return {
      kind: f.kind,
      message: f.message,
      trace: traceOf(path),
      stats: stats(),
    };
  };

  sys.writeInitial(scratch, 0);
  store.add(scratch, 0);
  preds.set(0, -1, 0);
  frontier?.push(scratch, 0);
  try {
    sys.load(scratch, 0);
    const v = sys.check();
    sys.observe?.();
    if (v >= 0) {
      return {
        kind: 'invariant-violated',
        invariant: sys.invariantNames[v] as string,
        trace: [],
        stats: stats(),
      };
    }
  } catch (e) {
    return failed(e, []);
  }

  let sliceStart = performance.now();
  while (cursor < store.size) {
    if (cursor === levelEnd) {
      level += 1;
      levelEnd = store.size;
    }
    if (level >= maxDepth) {
      return incomplete('depth', `states at depth ${level} were not expanded (--max-depth ${maxDepth})`);
    }
    // Bounds are read before the first expansion too, so that small searches honour them.
    if (cursor === 0) {
      if (opts.signal?.aborted) return incomplete('interrupted', 'interrupted');
      if (performance.now() - t0 > maxMs)
        return incomplete('time', `stopped after ${opts.maxSeconds} s (--max-seconds)`);
    }
    if (store.size >= maxStates) {
      return incomplete('states', `stopped at ${store.size} states (--max-states ${maxStates})`);
    }
    let src: Uint32Array;
    let at: number;
    if (exact !== undefined) {
      src = exact.chunk(cursor);
      at = exact.offset(cursor);
    } else {
      src = (frontier as Frontier).pop();
      at = (frontier as Frontier).lastOffset;
    }
    const parent = cursor;
    let i = 0;
    try {
      sys.load(src, at);
      for (; i < sys.actionCount; i++) {
        if (!sys.successor(i, scratch, 0)) continue;
        edges += 1;
        const id = store.add(scratch, 0);
        if (id < 0) continue;
        preds.set(id, parent, i);
        frontier?.push(scratch, 0);
        if (level + 1 > depth) depth = level + 1;
        const v = sys.check();
        sys.observe?.();
        if (v >= 0) {
          return {
            kind: 'invariant-violated',
            invariant: sys.invariantNames[v] as string,
            trace: traceOf(preds.pathTo(id)),
            stats: stats(),
          };
        }
        if (store.size >= maxStates) {
          return incomplete('states', `stopped at ${store.size} states (--max-states ${maxStates})`);
        }
      }
    } catch (e) {
      return failed(e, [...preds.pathTo(parent), i]);
    }
    cursor += 1;

    if ((cursor & (CHECK_EVERY - 1)) === 0) {
      const now = performance.now();
      if (now - t0 > maxMs) return incomplete('time', `stopped after ${opts.maxSeconds} s (--max-seconds)`);
      if (now - sliceStart > SLICE_MS) {
        if (process.memoryUsage.rss() > maxRss) {
          return incomplete('memory', `resident memory passed ${Math.round(maxRss / 2 ** 20)} MiB`);
        }
        if (opts.onProgress !== undefined && now - lastProgress >= progressMs) {
          lastProgress = now;
          const seconds = (now - t0) / 1000;
          opts.onProgress({
            states: store.size,
            edges,
            depth,
            frontier: store.size - cursor,
            seconds,
            statesPerSecond: store.size / seconds,
          });
        }
        await yieldToEventLoop();
        if (opts.signal?.aborted) return incomplete('interrupted', 'interrupted');
        sliceStart = performance.now();
      }
    }
  }
  return { kind: 'success', stats: stats() };
}
