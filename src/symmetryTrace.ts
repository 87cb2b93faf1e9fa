/**
 * Concrete traces of a `--symmetry` search (model/state/symmetry.ts): the search stores one representative
 * per class of states, so a stored path is a walk through representatives, each step taken from a renaming
 * of the state the previous step reached. A trace must replay from the concrete initial state; this turns
 * the stored path into such a trace, in three tries, the first that works:
 *
 * 1. Step by step: from the concrete state, the action whose result has the stored state as representative
 *    (the stored action itself first). The bisimulation makes one exist wherever the model treats every
 *    mm alike.
 * 2. The stored path itself, if it reaches the same finding concretely.
 * 3. A concrete breadth-first search, without symmetry, to the stored path's length, for the same finding.
 *
 * Tries 2 and 3 are for what the bisimulation does not cover: one walk over the mms depends on their
 * order, reclaim's unmap (shrink_folio_list.ts: the first mm mapping a PG_anon_exclusive page gets the
 * exclusive swap entry), which matters only for a page mapped by several mms and still exclusive, a state
 * anonExclusiveMappedOnce already reports. A search that goes on past findings (the matrix) reaches
 * such states. Try 3 gives the concrete shortest trace: if it is shorter than the stored one, the trace
 * returned is the shorter (and the finding's length with it); if none exists, the finding is not concrete
 * and the run stops with an error that says so (rerun without --symmetry).
 */
import type { StepFailure } from './checker/transitionSystem.js';
import { type Action, type ActionError, actionLabel, applyAction } from './model/actions.js';
import type { Config } from './model/config.js';
import type { Kernel } from './model/include/mm_types.js';
import type { Invariant } from './model/invariants/index.js';
import { Truth } from './model/recount/truth.js';
import { toPlain } from './model/state/plain.js';
import { wordsBelow } from './model/state/symmetry.js';

/** What this needs of a KernelSystem (spec.ts, which calls this: an interface, not an import, so no cycle). */
export interface ConcreteSystem {
  readonly cfg: Config;
  readonly stateWords: number;
  readonly actionCount: number;
  readonly actions: readonly Action[];
  readonly invariants: readonly Invariant[];
  initialKernel(): Kernel;
  writeInitial(out: Uint32Array, at: number): void;
  encodeKernel(k: Kernel, out: Uint32Array, at: number): void;
  decodeKernel(src: Uint32Array, at: number): Kernel;
  load(src: Uint32Array, at: number): void;
  successor(i: number, out: Uint32Array, at: number): boolean;
  classify(e: unknown): StepFailure;
}

/** What a stored path ends in: invariant `invariant` violated after the last step, or its step failing. */
type Finding = { readonly invariant: number } | { readonly failure: StepFailure['kind'] };

/** The concrete trace for a stored path of `sys` (a symmetric system) that ends in a finding. */
export function concreteTrace(
  sys: ConcreteSystem,
  path: readonly number[],
  invariant: number | undefined,
  withoutSymmetry: () => ConcreteSystem,
): number[] {
  const stepwise = stepByStep(sys, path);
  if (!('stuck' in stepwise)) return stepwise.path;
  const finding: Finding = invariant !== undefined ? { invariant } : { failure: stepwise.failure ?? 'model-error' };
  if (reproduces(sys, path, finding)) return [...path];
  const found = concreteSearch(sys, withoutSymmetry(), path.length, finding);
  if (found !== undefined) return found;
  const stored = path.map((i) => actionLabel(sys.actions[i] as Action)).join('; ');
  throw new Error(
    `symmetry: the stored trace [${stored}] has no concrete counterpart (step ${stepwise.stuck}); rerun without --symmetry`,
  );
}

/** Try 1; `stuck` is the step (1-based) where no concrete action matched, `failure` what the stored path ends in. */
function stepByStep(
  sys: ConcreteSystem,
  path: readonly number[],
): { readonly path: number[] } | { readonly stuck: number; readonly failure?: StepFailure['kind'] } {
  const n = sys.stateWords;
  const rep = new Uint32Array(n);
  const next = new Uint32Array(n);
  const cand = new Uint32Array(n);
  let c = sys.initialKernel();
  sys.writeInitial(rep, 0);
  const out: number[] = [];
  for (const a of path) {
    // The stored step, on the plain representative (not `successor`: a deciding scheme's figures would
    // count it again).
    const r = sys.decodeKernel(rep, 0);
    let failure: StepFailure | undefined;
    let stored: 0 | ActionError = 0;
    try {
      stored = applyAction(r, sys.actions[a] as Action);
      if (stored === 0) sys.encodeKernel(r, next, 0);
    } catch (e) {
      failure = sys.classify(e);
    }
    if (stored !== 0) throw new Error(`symmetry: stored step ${out.length + 1} is not enabled (${stored})`);
    let found: Kernel | undefined;
    for (const b of [a, ...sys.actions.keys()]) {
      const t = toPlain(c);
      let threw: StepFailure | undefined;
      let ret: 0 | ActionError = 0;
      try {
        ret = applyAction(t, sys.actions[b] as Action);
        if (ret === 0) sys.encodeKernel(t, cand, 0);
      } catch (e) {
        threw = sys.classify(e);
      }
      if (failure !== undefined) {
        if (threw?.kind === failure.kind) return { path: [...out, b] };
        continue;
      }
      if (threw !== undefined || ret !== 0) continue;
      if (!wordsBelow(cand, 0, next, 0, n) && !wordsBelow(next, 0, cand, 0, n)) {
        out.push(b);
        found = t;
        break;
      }
    }
    if (found === undefined) {
      return failure !== undefined ? { stuck: out.length + 1, failure: failure.kind } : { stuck: out.length + 1 };
    }
    c = found;
    rep.set(next);
  }
  return { path: out };
}

/** Whether invariant `i` fails in `k`. */
function violates(sys: ConcreteSystem, k: Kernel, i: number): boolean {
  const t = new Truth(sys.cfg);
  t.recount(k);
  return sys.invariants[i]?.holds(k, t) === false;
}

/** Try 2: the stored path, applied to the concrete initial state, ends in the same finding. */
function reproduces(sys: ConcreteSystem, path: readonly number[], finding: Finding): boolean {
  let k = sys.initialKernel();
  for (const [s, a] of path.entries()) {
    const last = s === path.length - 1;
    try {
      const t = toPlain(k);
      if (applyAction(t, sys.actions[a] as Action) !== 0) return false;
      k = t;
    } catch (e) {
      return last && 'failure' in finding && sys.classify(e).kind === finding.failure;
    }
  }
  return 'invariant' in finding && violates(sys, k, finding.invariant);
}

/** Try 3: the shortest concrete path to the finding, at most `depth` steps, by a search without symmetry. */
function concreteSearch(
  sys: ConcreteSystem,
  plain: ConcreteSystem,
  depth: number,
  finding: Finding,
): number[] | undefined {
  const words = plain.stateWords;
  const first = new Uint32Array(words);
  plain.writeInitial(first, 0);
  const seen = new Map<string, { readonly parent: string | undefined; readonly action: number }>();
  const pathTo = (key: string): number[] => {
    const out: number[] = [];
    for (let e = seen.get(key); e?.parent !== undefined; e = seen.get(e.parent)) out.push(e.action);
    return out.reverse();
  };
  seen.set(first.join(), { parent: undefined, action: -1 });
  let level: Uint32Array[] = [first];
  for (let d = 0; d < depth && level.length > 0; d++) {
    const nextLevel: Uint32Array[] = [];
    for (const s of level) {
      const key = s.join();
      for (let i = 0; i < plain.actionCount; i++) {
        plain.load(s, 0);
        const next = new Uint32Array(words);
        try {
          if (!plain.successor(i, next, 0)) continue;
        } catch (e) {
          if ('failure' in finding && plain.classify(e).kind === finding.failure) return [...pathTo(key), i];
          continue;
        }
        const nextKey = next.join();
        if (seen.has(nextKey)) continue;
        seen.set(nextKey, { parent: key, action: i });
        if ('invariant' in finding && violates(sys, plain.decodeKernel(next, 0), finding.invariant)) {
          return pathTo(nextKey);
        }
        nextLevel.push(next);
      }
    }
    level = nextLevel;
  }
  return undefined;
}
