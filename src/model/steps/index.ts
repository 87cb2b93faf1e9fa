/**
 * The steps, in bench-core's order of exploration (docs/bench-core.md "Order of exploration"): bench-core's six
 * first, so its state counts and shortest counterexamples are unchanged by the whole model's steps.
 *
 * Adding a step: write one file beside these exporting a `defineStep({...})`, and add it to `STEPS` where
 * it should be explored. The action type, `--ops`, scripts, traces and the configuration's derived flags
 * take it from here (README, "Adding a step").
 */
import type { Config } from '../config.js';
import cold from './cold.js';
import type { Step } from './defineStep.js';
import dofork from './dofork.js';
import dontfork from './dontfork.js';
import exit from './exit.js';
import fault from './fault.js';
import fork from './fork.js';
import get from './get.js';
import mprotect from './mprotect.js';
import mremap from './mremap.js';
import munmap from './munmap.js';
import pageout from './pageout.js';
import pin from './pin.js';
import pin_rw from './pin_rw.js';
import put from './put.js';
import read from './read.js';
import reclaim from './reclaim.js';
import split_folio from './split_folio.js';
import split_pmd from './split_pmd.js';
import thp from './thp.js';
import unpin from './unpin.js';
import wp from './wp.js';
import write from './write.js';
import zap from './zap.js';

export type { ActionError, Step, StepNeeds } from './defineStep.js';

const REGISTRY = [
  fault,
  zap,
  fork,
  wp,
  pin,
  unpin,
  write,
  read,
  exit,
  munmap,
  reclaim,
  mprotect,
  dontfork,
  dofork,
  mremap,
  thp,
  split_folio,
  pin_rw,
  split_pmd,
  get,
  put,
  pageout,
  cold,
] as const;

/** An action: a step's name (`kind`) and its parameters, all numbers: `{ kind: 'zap', mm: 0, addr: 1, nr: 1 }`. */
export type Action = ActionOf<(typeof REGISTRY)[number]>;
type ActionOf<S> = S extends Step<infer A> ? A : never;
/** The name of a step, as `--ops` and scripts write it. */
export type OpName = Action['kind'];

export const STEPS: readonly Step[] = REGISTRY;
/** Every step name, in exploration order. */
export const OP_NAMES: readonly OpName[] = STEPS.map((s) => s.name as OpName);
/** bench-core's steps (docs/bench-core.md), the default. */
export const CORE_OPS: readonly OpName[] = ['fault', 'zap', 'fork', 'wp', 'pin', 'unpin'];

const BY_NAME: ReadonlyMap<string, Step> = new Map(STEPS.map((s) => [s.name, s]));

/** The step of that name, or undefined. */
export function stepNamed(name: string): Step | undefined {
  return BY_NAME.get(name);
}

/** Whether any step enabled in `ops` needs that part of the state. */
export function opsNeed(ops: readonly string[], need: keyof Step['needs']): boolean {
  return ops.some((op) => BY_NAME.get(op)?.needs[need] === true);
}

/** Every action instance of a configuration, in exploration order. */
export function instancesOf(cfg: Config): Action[] {
  const out: Action[] = [];
  for (const step of STEPS) if (cfg.has(step.name)) for (const a of step.instances(cfg)) out.push(a as Action);
  return out;
}
