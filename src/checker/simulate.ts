/**
 * Random deep exploration with fast-check: random walks that stop at the first violation, then shrink the
 * operation sequence to a minimal one that still fails.
 *
 * A walk is a list of action indices. A chosen action that is not enabled is replaced by the next enabled
 * one in index order, so every walk is a real execution and shrinking (which drops and lowers indices)
 * keeps producing real executions.
 *
 * Bounded like a search (limits.ts): states visited, time, resident memory and an interrupt stop the walks
 * (fast-check's own interrupt: the run ends as "incomplete" with the figures so far). The walks yield to
 * the event loop about every SLICE_MS, so a signal is seen while they run.
 */
import fc from 'fast-check';
import { Budget, type Limits, peakRssBytes, SLICE_MS, yieldToEventLoop } from './limits.js';
import type { TransitionSystem } from './transitionSystem.js';
import { type Incomplete, type Verdict, verdictOf } from './verdict.js';

export interface SimulateOptions {
  readonly seed: number;
  readonly runs: number;
  /** Most steps of one walk. */
  readonly steps: number;
  /** States visited, time, memory and interrupt bounds (depth is the walk length, `steps`). */
  readonly limits?: Omit<Limits, 'maxDepth' | 'onProgress' | 'progressEverySeconds'>;
}

/** `p` ending the run (fast-check's interrupt, not a failure) once `stopped` says so. */
export function stoppable<T>(p: fc.IAsyncProperty<T>, stopped: () => boolean): fc.IAsyncProperty<T> {
  return {
    isAsync: () => true,
    generate: (mrng, runId) => p.generate(mrng, runId),
    shrink: (value) => p.shrink(value),
    run: (v) => (stopped() ? Promise.resolve(new fc.PreconditionFailure(true)) : p.run(v)),
    runBeforeEach: () => p.runBeforeEach(),
    runAfterEach: () => p.runAfterEach(),
  };
}

interface Walk {
  readonly taken: number[];
  readonly failure?: { kind: 'invariant-violated' | 'kernel-warning' | 'model-error'; what: string };
}

/** Runs one walk; stops at the first violation (or when nothing is enabled). */
export function walk<A>(sys: TransitionSystem<A>, choices: readonly number[]): Walk {
  const cur = new Uint32Array(sys.stateWords);
  const next = new Uint32Array(sys.stateWords);
  const taken: number[] = [];
  sys.writeInitial(cur, 0);
  sys.load(cur, 0);
  const v0 = sys.check();
  if (v0 >= 0) return { taken, failure: { kind: 'invariant-violated', what: sys.invariantNames[v0] as string } };
  for (const choice of choices) {
    let chosen = -1;
    for (let k = 0; k < sys.actionCount; k++) {
      const i = (choice + k) % sys.actionCount;
      try {
        if (sys.successor(i, next, 0)) {
          chosen = i;
          break;
        }
      } catch (e) {
        taken.push(i);
        const f = sys.classify(e);
        return { taken, failure: { kind: f.kind, what: f.message } };
      }
    }
    if (chosen < 0) break;
    taken.push(chosen);
    const v = sys.check();
    if (v >= 0) return { taken, failure: { kind: 'invariant-violated', what: sys.invariantNames[v] as string } };
    cur.set(next);
    sys.load(cur, 0);
  }
  return { taken };
}

/**
 * Random walks as a verdict: success, or the shrunk walk's violation or failing step (its `walks` say how
 * long it was before shrinking). Stats count the states the walks visited, repeats included.
 */
export async function simulate<A>(sys: TransitionSystem<A>, opts: SimulateOptions): Promise<Verdict<A>> {
  const t0 = performance.now();
  // Coverage: every step the walks executed (shrinking's replays included).
  sys.resetCoverage?.();
  const budget = new Budget(opts.limits ?? {});
  let stop: Incomplete | undefined;
  let lastYield = t0;
  // size 'max': walks of any length up to `steps` (fast-check's default keeps arrays short).
  const walks = fc.array(fc.nat({ max: Math.max(0, sys.actionCount - 1) }), {
    minLength: 1,
    maxLength: opts.steps,
    size: 'max',
  });
  let originalLength = 0;
  let edges = 0;
  let depth = 0;
  let visited = 0;
  // Time and memory are read at each yield, the interrupt and the states before every walk.
  const stopped = (): boolean => {
    stop ??= budget.interrupted() ?? budget.states(visited);
    return stop !== undefined;
  };
  const property = fc.asyncProperty(walks, async (choices) => {
    const now = performance.now();
    if (now - lastYield > SLICE_MS) {
      await yieldToEventLoop();
      lastYield = now;
      stop ??= budget.time(now) ?? budget.memory();
    }
    const w = walk(sys, choices);
    edges += w.taken.length;
    visited += w.taken.length + 1;
    if (w.taken.length > depth) depth = w.taken.length;
    if (w.failure !== undefined && originalLength === 0) originalLength = w.taken.length;
    return w.failure === undefined;
  });
  const details = await fc.check(stoppable(property, stopped), {
    seed: opts.seed,
    numRuns: opts.runs,
    endOnFailure: false,
  });
  const seconds = (performance.now() - t0) / 1000;
  const stats = {
    states: visited,
    edges,
    depth,
    seconds,
    statesPerSecond: seconds > 0 ? visited / seconds : visited,
    peakRssBytes: peakRssBytes(),
    store: 'exact',
  } as const;
  const counts = sys.coverageCounts?.();
  const covered = counts !== undefined && sys.coverageOf !== undefined ? { coverage: sys.coverageOf(counts) } : {};
  const ran = { runs: opts.runs, steps: opts.steps, seed: opts.seed, originalLength };
  if (!details.failed || details.counterexample === null) {
    const incomplete = details.interrupted ? (stop ?? { reason: 'interrupted', detail: 'interrupted' }) : undefined;
    return verdictOf({
      stats,
      ...covered,
      violations: [],
      failures: [],
      walks: ran,
      ...(incomplete ? { incomplete } : {}),
    });
  }
  const [choices] = details.counterexample;
  const w = walk(sys, choices);
  if (w.failure === undefined) throw new Error('simulate: the shrunk walk no longer fails (nondeterministic system?)');
  const trace = w.taken.map((index) => ({ index, action: sys.describe(index) }));
  if (w.failure.kind === 'invariant-violated') {
    const first = { invariant: w.failure.what, trace };
    return verdictOf({ stats, ...covered, violations: [first], failures: [], walks: ran, first });
  }
  const first = { kind: w.failure.kind, message: w.failure.what, trace };
  return verdictOf({ stats, ...covered, violations: [], failures: [first], walks: ran, first });
}
