/**
 * A trace for the page, read back from an ITF file: the bare ITF object (`{"#meta", "vars", "states"}`) or
 * a `--json` output holding one in `itf`.
 *
 * The page shows what the file says, not what a replay would say: each step's changes are found by diffing
 * its state with the one before, leaf by leaf, and handed to the text trace's own `describeChanges` as if
 * they were the replay's immer patches, so the lines (and the fields the page highlights) are the text
 * trace's, in its words and order. Only the call text needs the model: `formatAction` on the state before.
 */
import type { Patch } from 'immer';
import { type Action, actionLabel, formatAction } from '../model/actions.js';
import type { Bounds, Config } from '../model/config.js';
import { makeConfig } from '../model/configure.js';
import type { Kernel } from '../model/include/mm_types.js';
import { describeChanges, NOTHING_CHANGES, STATE_VARS } from '../trace.js';
import type { ViewStep, ViewTrace } from './html.js';

/** The file is not a trace this reader understands; the message says why, without the file name. */
export class BadTrace extends Error {
  override name = 'BadTrace';
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** ITF writes integers beyond 2^53 as `{"#bigint": "..."}`; ours never are, but a foreign writer may say so. */
function unbig(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(unbig);
  if (!isObject(x)) return x;
  if (typeof x['#bigint'] === 'string') return Number(x['#bigint']);
  return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, unbig(v)]));
}

/** Every leaf where `a` and `b` differ, as immer `replace` patches (the paths are all `describeChanges` reads). */
function diff(a: unknown, b: unknown, path: (string | number)[], out: Patch[]): void {
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) diff(a[i], b[i], [...path, i], out);
  } else if (isObject(a) && isObject(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) diff(a[k], b[k], [...path, k], out);
  } else if (a !== b) {
    out.push({ op: 'replace', path, value: b });
  }
}

function boundsOf(meta: unknown, outer: Record<string, unknown> | undefined): Bounds {
  const b = (isObject(meta) ? meta.bounds : undefined) ?? outer?.bounds;
  if (!isObject(b)) throw new BadTrace('no bounds: expected "#meta": {"bounds": {...}} as foliocheck writes it');
  return b as unknown as Bounds;
}

/** The kernel of one ITF state: its variables, and the configuration (which immer and JSON leave alone). */
function kernelOf(state: Record<string, unknown>, cfg: Config, n: number): Kernel {
  for (const v of STATE_VARS) {
    if (!Array.isArray(state[v])) throw new BadTrace(`state ${n}: variable ${v} missing or not an array`);
  }
  return { ...state, cfg } as unknown as Kernel;
}

function actionOf(state: Record<string, unknown>, n: number): Action {
  const kind = state['mbt::actionTaken'];
  const picks = state['mbt::nondetPicks'] ?? {};
  if (typeof kind !== 'string' || !isObject(picks)) throw new BadTrace(`state ${n}: no mbt::actionTaken`);
  return { ...picks, kind } as unknown as Action;
}

/** Parses JSON text into a trace for `pageHtml`; throws `BadTrace` (or `BoundsRejected`) on anything else. */
export function traceFromItf(text: string): ViewTrace {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new BadTrace(`not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  return traceFromJson(json);
}

/** The trace of a parsed ITF object or `--json` output (as `traceFromItf`). */
export function traceFromJson(json: unknown): ViewTrace {
  const outer = isObject(json) && isObject(json.itf) ? json : undefined;
  const itf = unbig(outer !== undefined ? outer.itf : json);
  if (!isObject(itf) || !Array.isArray(itf.states) || itf.states.length === 0) {
    throw new BadTrace('expected an ITF trace ({"#meta", "vars", "states": [...]}) or a --json output with "itf"');
  }
  const meta = itf['#meta'];
  const cfg = makeConfig(boundsOf(meta, outer), 'replay'); // a trace is one script: the kernel's geometry too;
  const states = itf.states.map((s, n) => {
    if (!isObject(s)) throw new BadTrace(`state ${n}: not an object`);
    return s;
  });
  const kernels = states.map((s, n) => kernelOf(s, cfg, n));
  const steps: ViewStep[] = [];
  for (let n = 1; n < states.length; n++) {
    const before = kernels[n - 1] as Kernel;
    const after = kernels[n] as Kernel;
    const action = actionOf(states[n] as Record<string, unknown>, n);
    let label: string;
    let call: string;
    try {
      label = actionLabel(action);
      call = formatAction(action, before);
    } catch (e) {
      throw new BadTrace(`state ${n}: action ${action.kind}: ${e instanceof Error ? e.message : String(e)}`);
    }
    const patches: Patch[] = [];
    for (const v of STATE_VARS) diff(before[v as keyof Kernel], after[v as keyof Kernel], [v], patches);
    // A step that changes nothing is a script's load or store that needs no fault (a search never takes one).
    const changes = patches.length === 0 ? [NOTHING_CHANGES] : describeChanges(before, after, patches);
    steps.push({ label, call, changes, after });
  }
  const description = isObject(meta) && typeof meta.description === 'string' ? meta.description : 'trace';
  const note = outerNote(outer);
  return {
    title: description,
    initial: kernels[0] as Kernel,
    steps,
    ...(note !== undefined ? { note } : {}),
  };
}

/** What a `--json` output says beyond the states: the verdict, the invariant or the kernel warning. */
function outerNote(outer: Record<string, unknown> | undefined): string | undefined {
  if (outer === undefined) return undefined;
  // explore and run say `invariant` or `message`; simulate says either as `what`.
  const parts = [outer.verdict, outer.invariant, outer.what, outer.message].filter((x) => typeof x === 'string');
  return parts.length > 0 ? [...new Set(parts)].join(': ') : undefined;
}
