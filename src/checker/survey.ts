/**
 * Survey: an exhaustive breadth-first search that does not stop at the first violation. It checks every
 * invariant on every distinct state and keeps, for each invariant, the first state that breaks it, which is
 * a shortest counterexample for that invariant (states are discovered in order of depth). Violating states
 * are expanded like any other, so one property's failure never hides another's.
 *
 * Steps that throw (a kernel warning, a model error) are kept the same way, the first of each kind, and the
 * search goes on past them. It ends when the state space is exhausted, a bound is reached (depth, states,
 * time, memory, interrupt: `incomplete`, with what was found so far), or every invariant has failed.
 */
import { ExactStore, Predecessors } from './stateStore.js';
import type { StepFailure, TransitionSystem } from './transitionSystem.js';
import { type IncompleteReason, isAllocationFailure, type Stats, type TraceStep } from './verdict.js';

export interface SurveyOptions {
  readonly maxDepth?: number;
  readonly maxStates?: number;
  readonly maxSeconds?: number;
  readonly maxMemoryBytes?: number;
  readonly signal?: AbortSignal;
  /** Called about every `progressEverySeconds` with the states so far. */
  readonly onProgress?: (states: number, depth: number) => void;
  readonly progressEverySeconds?: number;
}

export interface SurveyFinding<A> {
  /** A shortest trace from the initial state to a state that breaks the invariant (or to the failing step). */
  readonly trace: readonly TraceStep<A>[];
}

export interface SurveyResult<A> {
  /**
   * Whether every reachable state was checked. Otherwise `incomplete` says which bound stopped it, or
   * `everyInvariantFailed` says it stopped because there was nothing left to find.
   */
  readonly complete: boolean;
  readonly everyInvariantFailed: boolean;
  readonly incomplete?: { readonly reason: IncompleteReason; readonly detail: string };
  /** Per invariant (as `invariantNames`), its shortest counterexample, or undefined if none was found. */
  readonly violated: readonly (SurveyFinding<A> | undefined)[];
  /** The first step that threw, per kind, with the trace ending in that step. */
  readonly failures: readonly (SurveyFinding<A> & StepFailure)[];
  readonly stats: Stats;
}

const CHECK_EVERY = 1024;
const SLICE_MS = 100;
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export async function survey<A>(sys: TransitionSystem<A>, opts: SurveyOptions = {}): Promise<SurveyResult<A>> {
  const w = sys.stateWords;
  const store = new ExactStore(w);
  const preds = new Predecessors();
  const scratch = new Uint32Array(w);
  const marks = new Uint8Array(sys.invariantNames.length);
  const firstBad = new Int32Array(sys.invariantNames.length).fill(-1);
  const failures: (SurveyFinding<A> & StepFailure)[] = [];
  const maxDepth = opts.maxDepth ?? Number.POSITIVE_INFINITY;
  const maxStates = opts.maxStates ?? Number.POSITIVE_INFINITY;
  const maxMs = (opts.maxSeconds ?? Number.POSITIVE_INFINITY) * 1000;
  const maxRss = opts.maxMemoryBytes ?? Number.POSITIVE_INFINITY;
  const progressMs = (opts.progressEverySeconds ?? 1) * 1000;
  const t0 = performance.now();
  let edges = 0;
  let depth = 0;
  let level = 0;
  let levelEnd = 1;
  let cursor = 0;
  let open = sys.invariantNames.length;

  const traceOf = (path: readonly number[]): TraceStep<A>[] =>
    path.map((index) => ({ index, action: sys.describe(index) }));
  const checkNew = (id: number): void => {
    if (sys.violations(marks) > 0) {
      for (let i = 0; i < marks.length; i++) {
        if (marks[i] === 1 && firstBad[i] === -1) {
          firstBad[i] = id;
          open -= 1;
        }
      }
    }
    sys.observe?.();
  };
  const result = (incomplete?: { reason: IncompleteReason; detail: string }): SurveyResult<A> => {
    const seconds = (performance.now() - t0) / 1000;
    const allFailed = open === 0 && sys.invariantNames.length > 0;
    return {
      complete: incomplete === undefined && !(allFailed && cursor < store.size),
      everyInvariantFailed: allFailed,
      ...(incomplete === undefined ? {} : { incomplete }),
      violated: [...firstBad].map((id) => (id < 0 ? undefined : { trace: traceOf(preds.pathTo(id)) })),
      failures,
      stats: {
        states: store.size,
        edges,
        depth,
        seconds,
        statesPerSecond: seconds > 0 ? store.size / seconds : store.size,
        peakRssBytes: process.resourceUsage().maxRSS * 1024,
        store: 'exact',
      },
    };
  };

  try {
    sys.writeInitial(scratch, 0);
    store.add(scratch, 0);
    preds.set(0, -1, 0);
    sys.load(scratch, 0);
    checkNew(0);
  } catch (e) {
    if (isAllocationFailure(e)) return result({ reason: 'memory', detail: `allocation failed: ${e.message}` });
    failures.push({ ...sys.classify(e), trace: [] });
    return result();
  }

  let sliceStart = performance.now();
  let lastProgress = t0;
  while (cursor < store.size && open > 0) {
    if (cursor === levelEnd) {
      level += 1;
      levelEnd = store.size;
    }
    if (level >= maxDepth) {
      return result({
        reason: 'depth',
        detail: `states at depth ${level} were not expanded (depth bound ${maxDepth})`,
      });
    }
    if (store.size >= maxStates) {
      return result({ reason: 'states', detail: `stopped at ${store.size} states (bound ${maxStates})` });
    }
    const parent = cursor;
    try {
      sys.load(store.chunk(parent), store.offset(parent));
    } catch (e) {
      if (isAllocationFailure(e)) return result({ reason: 'memory', detail: `allocation failed: ${e.message}` });
      throw e;
    }
    for (let i = 0; i < sys.actionCount; i++) {
      try {
        if (!sys.successor(i, scratch, 0)) continue;
        edges += 1;
        const id = store.add(scratch, 0);
        if (id < 0) continue;
        preds.set(id, parent, i);
        if (level + 1 > depth) depth = level + 1;
        checkNew(id);
      } catch (e) {
        if (isAllocationFailure(e)) return result({ reason: 'memory', detail: `allocation failed: ${e.message}` });
        const f = sys.classify(e);
        if (!failures.some((x) => x.kind === f.kind)) {
          failures.push({ ...f, trace: traceOf([...preds.pathTo(parent), i]) });
        }
      }
    }
    cursor += 1;
    if ((cursor & (CHECK_EVERY - 1)) === 0) {
      const now = performance.now();
      if (now - t0 > maxMs) return result({ reason: 'time', detail: `stopped after ${opts.maxSeconds} s` });
      if (now - sliceStart > SLICE_MS) {
        if (process.memoryUsage.rss() > maxRss) {
          return result({ reason: 'memory', detail: `resident memory passed ${Math.round(maxRss / 2 ** 20)} MiB` });
        }
        if (opts.onProgress !== undefined && now - lastProgress >= progressMs) {
          lastProgress = now;
          opts.onProgress(store.size, depth);
        }
        await yieldToEventLoop();
        if (opts.signal?.aborted) return result({ reason: 'interrupted', detail: 'interrupted' });
        sliceStart = performance.now();
      }
    }
  }
  return result();
}
