/**
 * Random conformance: fast-check draws step sequences that the model enables, each is replayed on the
 * model and the kernel, and a divergence is shrunk to a minimal script.
 *
 * A sequence is a list of choices; choice c at a step picks the (c mod n)-th of the n actions the model
 * enables in the state reached so far, so every drawn sequence is a valid script and fast-check's
 * shrinking (fewer, smaller choices) keeps it valid.
 */
import fc from 'fast-check';
import { type Action, actionLabel } from '../model/actions.js';
import type { Config } from '../model/config.js';
import { KernelSystem } from '../spec.js';
import { checkConfig, type KernelRun, type KernelSession } from './replay.js';

export interface RandomResult {
  /** Sequences drawn (fewer than asked when interrupted: then those started). */
  readonly runs: number;
  readonly steps: number;
  /** Sequences whose first differing step differed only by named allowances. */
  readonly allowances: number;
  readonly ms: number;
  readonly counterexample?: { readonly script: string; readonly run: KernelRun };
  /** The session's signal stopped the runs (SIGINT, SIGTERM): the figures are those so far. */
  readonly interrupted?: true;
}

/** The script the choices give under `sys`: at each step the (c mod n)-th enabled action. */
export function scriptOf(sys: KernelSystem, choices: readonly number[]): string {
  const cur = new Uint32Array(sys.stateWords);
  const next = new Uint32Array(sys.stateWords);
  sys.writeInitial(cur, 0);
  const labels: string[] = [];
  for (const c of choices) {
    sys.load(cur, 0);
    const enabled: number[] = [];
    for (let i = 0; i < sys.actionCount; i++) if (sys.successor(i, next, 0)) enabled.push(i);
    if (enabled.length === 0) break;
    const i = enabled[c % enabled.length] as number;
    sys.load(cur, 0);
    sys.successor(i, cur, 0);
    labels.push(actionLabel(sys.actions[i] as Action));
  }
  return labels.join('; ');
}

export async function randomConformance(
  session: KernelSession,
  cfg: Config,
  o: { runs: number; length: number; seed: number },
): Promise<RandomResult> {
  checkConfig(cfg, session.readAllocates);
  const sys = new KernelSystem(cfg, 'kernel-random');
  let steps = 0;
  let allowances = 0;
  let ms = 0;
  let last: { script: string; run: KernelRun } | undefined;
  let started = 0;
  let threw = '';
  const details = await fc.check(
    fc.asyncProperty(fc.array(fc.nat({ max: 1000 }), { minLength: 1, maxLength: o.length }), async (choices) => {
      if (session.interrupted) return true; // the remaining runs pass through without a replay
      started++;
      const script = scriptOf(sys, choices);
      if (script === '') return true;
      const t0 = performance.now();
      let run: KernelRun;
      try {
        run = await session.run(cfg, script, 'random');
      } catch (e) {
        // fast-check shrinks a throwing sequence too: the last one that threw is the one to name.
        threw = script;
        throw e;
      }
      ms += performance.now() - t0;
      steps += run.steps.length;
      if (run.verdict === 'incomplete') return true;
      if (run.verdict === 'allowance') allowances++;
      if (run.verdict !== 'diverges') return true;
      last = { script, run };
      return false;
    }),
    { numRuns: o.runs, seed: o.seed },
  );
  if (details.failed && last === undefined) {
    // Not a divergence: a replay threw (a step the kernel refused, a helper that died). Say which.
    const why = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    throw new Error(`random conformance (seed ${o.seed}) stopped: ${why} (script: ${threw})`);
  }
  const counterexample = last === undefined ? undefined : await minimise(session, cfg, last);
  return {
    runs: session.interrupted ? started : details.numRuns,
    ...(session.interrupted ? { interrupted: true as const } : {}),
    steps,
    allowances,
    ms,
    ...(details.failed && counterexample !== undefined ? { counterexample } : {}),
  };
}

/**
 * fast-check shrinks the choices, and a choice picks among the actions enabled so far, so removing one
 * step re-targets the later ones. This pass removes steps from the script itself, one at a time, as long as
 * the model still enables every step and the kernel still diverges: the printed line is 1-minimal.
 */
async function minimise(
  session: KernelSession,
  cfg: Config,
  found: { script: string; run: KernelRun },
): Promise<{ script: string; run: KernelRun }> {
  let best = found;
  let steps = found.script.split('; ');
  for (let i = steps.length - 1; i >= 0; i--) {
    const shorter = [...steps.slice(0, i), ...steps.slice(i + 1)];
    if (shorter.length === 0) continue;
    let run: KernelRun;
    if (session.interrupted) break; // the shortest found so far is still a divergence
    try {
      run = await session.run(cfg, shorter.join('; '), 'random');
    } catch {
      continue; // a step the model no longer enables
    }
    if (run.verdict !== 'diverges') continue;
    steps = shorter;
    best = { script: shorter.join('; '), run };
  }
  return best;
}
