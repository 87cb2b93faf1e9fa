/**
 * `foliocheck explore`: a breadth-first search of one configuration, optionally from the state a few steps
 * reach (`--from`), with the schemes' own figures when it ran on one thread.
 */
import type { Verdict } from '../checker/verdict.js';
import type { Action } from '../model/actions.js';
import type { Config } from '../model/config.js';
import { parseScript, resolveScript } from '../script.js';
import { exploreKernel, KernelSystem } from '../spec.js';
import { exploreOptions, type RunControl, type SearchSettings, searchKernel } from './search.js';

export interface ExploreRun {
  readonly sys: KernelSystem;
  readonly verdict: Verdict<Action>;
  /** The schemes' figures (mm-id's imprecision), gathered by the one-thread search only. */
  readonly figures: readonly string[];
}

/** Which invariants a search checks (all by default), whether it goes on past violations, and checkpoints. */
export interface ExploreChoice {
  readonly invariants?: readonly string[];
  readonly continue?: boolean;
  /** `--checkpoint DIR [--every MIN]` / `--resume DIR` (checker/checkpoint.ts, checker/parallelCheckpoint.ts). */
  readonly checkpoint?: { readonly dir: string; readonly everyMs: number; readonly resume: boolean };
}

/** The ids of the invariants `cfg` checks, in the order they are checked. */
export function invariantIds(cfg: Config): string[] {
  return new KernelSystem(cfg).invariantNames.slice();
}

/**
 * Explores `cfg` from the state the `from` steps reach (a script, named `--from` in errors). Throws
 * `PrefixNotEnabled` before searching if one of those steps is not enabled, `ScriptError` if they do not parse.
 */
export async function exploreConfig(
  cfg: Config,
  name: string,
  from: string | undefined,
  search: SearchSettings,
  control: RunControl = {},
  choose: ExploreChoice = {},
): Promise<ExploreRun> {
  const prefix = from === undefined ? [] : stepIndices(new KernelSystem(cfg, name), from, '--from');
  const sys = new KernelSystem(cfg, name, prefix, choose.invariants);
  sys.initialKernel();
  // Going on past violations is the one-thread driver's (exploreKernel); checkpoints are both drivers'.
  const ck = choose.checkpoint;
  const oneThread = search.workers === 1 || choose.continue === true;
  const verdict =
    choose.continue === true || ck !== undefined
      ? await exploreKernel(sys, {
          ...exploreOptions(search, control),
          ...(choose.continue === true ? { continue: true } : { workers: search.workers }),
          ...(ck !== undefined ? { checkpoint: { ...ck, key: checkpointKey(cfg, search, from, choose) } } : {}),
        })
      : await searchKernel(sys, search, control);
  // The schemes' and the decisions' figures are gathered by a one-thread search only.
  const figures = oneThread
    ? sys.schemeReports()
    : cfg.decider !== undefined
      ? [`(figures are gathered by a one-thread search: --workers 1)`]
      : [];
  return { sys, verdict, figures };
}

/**
 * What a checkpoint belongs to: the bounds, the store, the prefix, the invariants and `--continue`. A resumed
 * search must have all of them alike (its limits may differ: a resumed run may go further).
 */
function checkpointKey(cfg: Config, search: SearchSettings, from: string | undefined, choose: ExploreChoice): string {
  return JSON.stringify({
    bounds: cfg.bounds(),
    store: search.store,
    from: from ?? '',
    invariants: choose.invariants ?? 'all',
    continue: choose.continue === true,
  });
}

/** The steps of a script as action indices of `sys`'s configuration (`source` names it in errors). */
export function stepIndices(sys: KernelSystem, text: string, source: string): number[] {
  return resolveScript(sys, parseScript(text, source), source);
}
