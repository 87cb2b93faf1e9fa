/**
 * The breadth-first driver over a `TransitionSystem`. States are discovered in order of depth and each is
 * checked when discovered, so the first violation found is a shortest one.
 *
 * By default the search stops there. With `continue` (TLC's -continue) it goes on: it checks every invariant
 * on every distinct state and keeps each invariant's first violating state (its shortest counterexample)
 * and the first failing step of each kind (kernel warning, model error), expanding violating states like any
 * other, so one property's failure never hides another's; it then stops when the state space is exhausted,
 * a bound is reached, or every invariant has failed. The headline of the verdict is the same either way.
 *
 * The loop runs in slices and yields to the event loop between them, so an interrupt (SIGINT) or a bound
 * ends the search with what was explored (limits.ts), and progress can be shown.
 *
 * Over 300 lines: the loop, its findings and its checkpoints share the search's locals, which the hot loop
 * reads as plain variables; split, they would travel as an object.
 */
import { CheckpointError, type CheckpointOptions, readCheckpoint, writeCheckpoint } from './checkpoint.js';
import { Frontier } from './frontier.js';
import { allocationFailed, Budget, type Limits, SLICE_MS, yieldToEventLoop } from './limits.js';
import { defaultReserveBytes } from './reserve.js';
import { SpillDir } from './spill.js';
import { ExactStore, FingerprintStore, Predecessors, type StateStore } from './stateStore.js';
import type { TransitionSystem } from './transitionSystem.js';
import {
  type Ended,
  type FailedStep,
  type Incomplete,
  isAllocationFailure,
  type TraceStep,
  type Verdict,
  type Violation,
  verdictOf,
} from './verdict.js';

export type { Progress } from './limits.js';

export interface ExploreOptions extends Limits {
  readonly store?: 'exact' | 'fingerprint';
  /** Go on past violations and failing steps, keeping the first of each invariant and of each kind. */
  readonly continue?: boolean;
  /** Write checkpoints (and resume from one): checkpoint.ts. */
  readonly checkpoint?: CheckpointOptions;
  /**
   * Where the predecessors and the queue spill (spill.ts): a directory made inside this one, removed at the
   * end (default: the system's temporary directory); false keeps them in memory.
   */
  readonly spillDir?: string | false;
}

const CHECK_EVERY = 1024;
/** `headline` when the first finding was a failing step (failures[0]); -1: nothing found yet. */
const HEADLINE_FAILURE = -2;

export async function explore<A>(sys: TransitionSystem<A>, opts: ExploreOptions = {}): Promise<Verdict<A>> {
  const spill = opts.spillDir === false ? undefined : new SpillDir(opts.spillDir);
  try {
    return await search(sys, opts, spill);
  } finally {
    spill?.remove();
  }
}

async function search<A>(sys: TransitionSystem<A>, opts: ExploreOptions, spill?: SpillDir): Promise<Verdict<A>> {
  const mode = opts.store ?? 'exact';
  const w = sys.stateWords;
  // Address space for the table up to the memory bound: only what it uses is resident (reserve.ts).
  const reserve = Math.min(opts.maxMemoryBytes ?? defaultReserveBytes(), defaultReserveBytes());
  const exact = mode === 'exact' ? new ExactStore(w, reserve) : undefined;
  const store: StateStore = exact ?? new FingerprintStore(w, reserve);
  const frontier = exact === undefined ? new Frontier(w, spill) : undefined;
  const preds = new Predecessors(spill);
  const scratch = new Uint32Array(w);
  // One expansion's successors: at most one per action instance.
  const batch = new Uint32Array(Math.max(1, sys.actionCount) * w);
  const acts = new Int32Array(Math.max(1, sys.actionCount));
  const budget = new Budget(opts);
  const { maxDepth, maxStates } = budget;
  const names = sys.invariantNames;
  // Going on: each invariant's marks on the current state, and its first violating state's id.
  const marks = opts.continue === true ? new Uint8Array(names.length) : undefined;
  const firstBad = new Int32Array(names.length).fill(-1);
  const failures: FailedStep<A>[] = [];
  let headline = -1; // the invariant found first, or HEADLINE_FAILURE
  let open = names.length > 0 ? names.length : -1; // invariants not yet violated; -1: there are none

  let edges = 0;
  let depth = 0; // deepest level discovered
  let level = 0; // level of the states being expanded
  let cursor = 0; // id of the next state to expand
  let levelEnd = 1;
  // Store sizes at the end of each level's discovery: the per-level counts, at no cost per state.
  const ends: number[] = [1];
  const levelCounts = (): number[] => {
    const all = [...ends, store.size];
    const counts = all.map((e, d) => e - (d > 0 ? (all[d - 1] as number) : 0));
    while (counts.length > 1 && counts.at(-1) === 0) counts.pop();
    return counts;
  };

  const traceOf = (path: readonly number[], invariant?: number): TraceStep<A>[] =>
    (sys.concretePath?.(path, invariant) ?? path).map((index) => ({ index, action: sys.describe(index) }));
  const finish = (incomplete?: Incomplete): Verdict<A> => {
    const violations: Violation<A>[] = [];
    for (const [i, id] of firstBad.entries()) {
      if (id >= 0) violations.push({ invariant: names[i] as string, trace: traceOf(preds.pathTo(id), i) });
    }
    const first =
      headline === HEADLINE_FAILURE
        ? failures[0]
        : headline >= 0
          ? violations.find((v) => v.invariant === names[headline])
          : undefined;
    const ended: Ended =
      marks !== undefined && open === 0
        ? 'every-invariant-failed'
        : incomplete !== undefined
          ? 'bound'
          : marks === undefined && first !== undefined
            ? 'first-finding'
            : 'exhausted';
    const counts = sys.coverageCounts?.();
    return verdictOf({
      stats: budget.stats(store.size, edges, depth, mode, levelCounts()),
      ...(counts !== undefined && sys.coverageOf !== undefined ? { coverage: sys.coverageOf(counts) } : {}),
      violations,
      failures,
      ended,
      ...(incomplete !== undefined ? { incomplete } : {}),
      ...(first !== undefined ? { first } : {}),
    });
  };
  /** Going on: marks the invariants the current state (id) breaks for the first time. */
  const checkAll = (id: number, m: Uint8Array): void => {
    if (sys.violations(m) > 0) {
      for (let i = 0; i < m.length; i++) {
        if (m[i] === 1 && firstBad[i] === -1) {
          firstBad[i] = id;
          open -= 1;
          if (headline === -1) headline = i;
        }
      }
    }
    sys.observe?.();
  };
  /**
   * Action `i` of state `parent` threw (-1: setting up the initial state): keeps the failure if it is the first
   * of its kind; says whether the search stops.
   */
  const stepFailed = (e: unknown, parent: number, i: number): boolean => {
    const f = sys.classify(e);
    if (!failures.some((x) => x.kind === f.kind)) {
      failures.push({ ...f, trace: traceOf(parent < 0 ? [] : [...preds.pathTo(parent), i]) });
    }
    if (headline === -1) headline = HEADLINE_FAILURE;
    return marks === undefined;
  };

  const ck = opts.checkpoint;
  let savedAt = performance.now();
  /** Writes a checkpoint; called only between two expansions, where the search's future is its stored data. */
  const save = (): void => {
    if (ck === undefined) return;
    writeCheckpoint(ck.dir, {
      position: {
        ...{ key: ck.key, mode, words: w, size: store.size, cursor, level, levelEnd, ends: [...ends] },
        ...{ edges, depth, firstBad: [...firstBad], headline, open },
        failures: failures.map((f) => ({ ...f, trace: f.trace.map((t) => t.index) })),
        counters: sys.saveCounters?.(),
      },
      states: exact !== undefined ? exact.dump() : (store as FingerprintStore).dump(),
      ...preds.dump(store.size),
      ...(frontier !== undefined ? { queue: frontier.dump() } : {}),
    });
    savedAt = performance.now();
  };

  if (ck?.resume === true) {
    const c = readCheckpoint(ck.dir, ck.key);
    const p = c.position;
    if (p.mode !== mode || p.words !== w) {
      throw new CheckpointError(
        `--resume: ${ck.dir}: expected a ${mode} store of ${w} words, got ${p.mode} of ${p.words}`,
      );
    }
    if (exact !== undefined) for (let id = 0; id < p.size; id++) exact.add(c.states, id * w);
    else (store as FingerprintStore).restore(c.states, p.size);
    preds.restore(c.parent, c.action);
    if (frontier !== undefined && c.queue !== undefined) {
      for (let o = 0; o < c.queue.length; o += w) frontier.push(c.queue, o);
    }
    ({ cursor, level, levelEnd, edges, depth, headline, open } = p);
    ends.splice(0, ends.length, ...p.ends);
    firstBad.set(p.firstBad);
    for (const f of p.failures as (Omit<FailedStep<A>, 'trace'> & { trace: number[] })[]) {
      failures.push({ ...f, trace: traceOf(f.trace) });
    }
    sys.loadCounters?.(p.counters);
  } else
    try {
      sys.writeInitial(scratch, 0);
      // Coverage counts the transitions explored, not the set-up of the initial state (a --from prefix).
      sys.resetCoverage?.();
      store.add(scratch, 0);
      preds.set(0, -1, 0);
      frontier?.push(scratch, 0);
      sys.load(scratch, 0);
      if (marks !== undefined) checkAll(0, marks);
      else {
        const v = sys.check();
        sys.observe?.();
        if (v >= 0) {
          firstBad[v] = 0;
          headline = v;
          return finish();
        }
      }
    } catch (e) {
      if (isAllocationFailure(e)) return finish(allocationFailed(e));
      stepFailed(e, -1, 0);
      return finish();
    }

  const n = sys.actionCount;
  let sliceStart = performance.now();
  while (cursor < store.size && open !== 0) {
    if (cursor === levelEnd) {
      level += 1;
      levelEnd = store.size;
      ends.push(levelEnd);
    }
    if (level >= maxDepth) return finish(budget.depth(level));
    // Bounds are read before the first expansion too, so that small searches honour them.
    if (cursor === 0) {
      const stop = budget.interrupted() ?? budget.time();
      if (stop !== undefined) return finish(stop);
    }
    if (store.size >= maxStates) return finish(budget.states(store.size));
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
    let loaded = false;
    // An expansion in batches: the enabled successors' encodings (batch), then their probes all at once
    // (store.prepare), then each added and, if new, loaded and checked, in action order, so the states,
    // their ids and the first finding are those of adding each successor as it is made. A failing step
    // ends a batch; when going on, the next batch starts from the next action.
    while (i < n) {
      let count = 0;
      let failed: unknown;
      let failedAt = -1;
      let loadFailed = false;
      try {
        if (!loaded) {
          sys.load(src, at);
          loaded = true;
        }
        for (; i < n; i++) {
          if (!sys.successor(i, batch, count * w)) continue;
          acts[count] = i;
          count += 1;
        }
      } catch (e) {
        failed = e;
        failedAt = i;
        loadFailed = !loaded;
        i += 1;
      }
      if (count > 0) {
        store.prepare(batch, count);
        // The checks load each new state: the parent is loaded again for a following batch.
        loaded = false;
      }
      for (let k = 0; k < count; k++) {
        try {
          edges += 1;
          const id = store.addPrepared(batch, k);
          if (id < 0) continue;
          preds.set(id, parent, acts[k] as number);
          frontier?.push(batch, k * w);
          if (level + 1 > depth) depth = level + 1;
          sys.load(batch, k * w);
          if (marks === undefined) {
            const v = sys.check();
            sys.observe?.();
            if (v >= 0) {
              firstBad[v] = id;
              headline = v;
              return finish();
            }
          } else checkAll(id, marks);
          if (store.size >= maxStates) return finish(budget.states(store.size));
        } catch (e) {
          if (isAllocationFailure(e)) return finish(allocationFailed(e));
          if (stepFailed(e, parent, acts[k] as number)) return finish();
        }
      }
      if (failedAt >= 0) {
        if (isAllocationFailure(failed)) return finish(allocationFailed(failed));
        if (stepFailed(failed, parent, failedAt) || loadFailed) return finish();
      }
    }
    cursor += 1;

    if ((cursor & (CHECK_EVERY - 1)) === 0) {
      const now = performance.now();
      const late = budget.time(now);
      if (late !== undefined) {
        save();
        return finish(late);
      }
      if (now - sliceStart > SLICE_MS) {
        const full = budget.memory(store.growthBytes() + preds.growthBytes());
        if (full !== undefined) {
          save();
          return finish(full);
        }
        if (ck !== undefined && now - savedAt >= ck.everyMs) save();
        budget.progress(now, () => {
          const seconds = budget.seconds(now);
          return {
            states: store.size,
            edges,
            depth,
            frontier: store.size - cursor,
            seconds,
            statesPerSecond: store.size / seconds,
          };
        });
        await yieldToEventLoop();
        const stop = budget.interrupted();
        if (stop !== undefined) {
          save();
          return finish(stop);
        }
        sliceStart = performance.now();
      }
    }
  }
  return finish();
}
