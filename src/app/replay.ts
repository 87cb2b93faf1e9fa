/**
 * `foliocheck replay FILE`: a trace file (ITF JSON, written by `--out`) re-checked. Its `#meta` records the
 * bounds and policy, the invariants checked, the steps and the verdict; the steps are re-run under those
 * bounds, each state compared with the recorded one, and the verdict compared with the recorded one.
 */
import { type Verdict, withMismatches } from '../checker/verdict.js';
import type { Action } from '../model/actions.js';
import { actionLabel } from '../model/actions.js';
import { checkBounds } from '../model/bounds.js';
import type { Bounds } from '../model/config.js';
import { makeConfig } from '../model/configure.js';
import { scriptVerdict } from '../runSpec.js';
import { ScriptError, whyNotEnabled } from '../script.js';
import { KernelSystem } from '../spec.js';
import { runScript, type ScriptRun, STATE_VARS, stateJson } from '../trace.js';
import { stepIndices } from './explore.js';

/** A trace file that does not replay: names the file, the step (or field) and why. */
export class TraceFileError extends Error {
  override name = 'TraceFileError';
}

/** The verdict a trace file records: its kind, the invariant, and the number of steps. */
export interface RecordedVerdict {
  readonly kind: Verdict<Action>['kind'];
  readonly invariant?: string;
  readonly length: number;
}

export interface ReplayRun {
  readonly sys: KernelSystem;
  readonly indices: readonly number[];
  readonly run: ScriptRun;
  readonly recorded: RecordedVerdict;
  /** The re-run's verdict, with what differs from the recorded one. */
  readonly verdict: Verdict<Action> & { readonly mismatches: readonly string[] };
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Re-runs a parsed trace file (`file` names it in errors). Throws `TraceFileError` when it does not replay. */
export function replayTraceFile(doc: unknown, file: string): ReplayRun {
  const fail = (why: string): never => {
    throw new TraceFileError(`${file}: ${why}`);
  };
  if (!isRecord(doc) || !isRecord(doc['#meta']))
    return fail('#meta: expected an ITF trace written by --out, got no #meta');
  const meta = doc['#meta'];
  // A trace is one script: it may have the kernel's geometry (`run --pt 512 --out`).
  const errors = checkBounds(meta.bounds, 'replay');
  if (errors.length > 0) {
    return fail(errors.map((e) => `#meta.bounds.${e.field}: expected ${e.expected}, got ${e.got}`).join('; '));
  }
  const steps = meta.steps;
  if (!Array.isArray(steps) || !steps.every((s) => typeof s === 'string')) {
    return fail('#meta.steps: expected the steps as a list of strings, e.g. ["write(0,0)"], got something else');
  }
  const v = meta.verdict;
  if (!isRecord(v) || typeof v.kind !== 'string' || typeof v.length !== 'number') {
    return fail('#meta.verdict: expected {kind, invariant, length}, got something else');
  }
  const recorded: RecordedVerdict = {
    kind: v.kind as RecordedVerdict['kind'],
    length: v.length,
    ...(typeof v.invariant === 'string' ? { invariant: v.invariant } : {}),
  };
  const only = Array.isArray(meta.invariants) ? (meta.invariants as string[]) : undefined;
  const cfg = makeConfig(meta.bounds as Bounds, 'replay');
  const sys = new KernelSystem(cfg, `replay ${file}`, [], only);
  if (only !== undefined) {
    const unknown = only.filter((id) => !sys.invariantNames.includes(id));
    if (unknown.length > 0) fail(`#meta.invariants: expected ids these bounds check, got ${unknown.join(', ')}`);
  }
  let indices: number[] = [];
  try {
    indices = stepIndices(sys, steps.join('; '), file);
  } catch (e) {
    if (e instanceof ScriptError) fail(e.message.replace(`${file}: `, ''));
    throw e;
  }
  const t0 = performance.now();
  const run = runScript(sys, indices);
  const d = run.replay.disabled;
  if (d !== undefined)
    fail(`step ${d.step} ${actionLabel(d.action)} is not enabled: ${whyNotEnabled(d.action, d.code)}`);
  const states = Array.isArray(doc.states) ? doc.states : [];
  const replayed = [run.replay.initial, ...run.replay.steps.map((s) => s.after)];
  for (const [i, k] of replayed.entries()) {
    const want = states[i];
    if (!isRecord(want)) continue; // a state the file does not record (after a violation: none)
    const got = stateJson(k);
    for (const name of STATE_VARS) {
      if (JSON.stringify(got[name]) !== JSON.stringify(want[name])) {
        const what = i === 0 ? 'the initial state' : `step ${i} ${steps[i - 1]}`;
        fail(`${what}: the state differs from the recorded one in ${name}`);
      }
    }
  }
  const verdict = scriptVerdict(sys, indices, run, t0);
  return { sys, indices, run, recorded, verdict: withMismatches(verdict, compareRecorded(recorded, verdict)) };
}

/** What differs between a recorded verdict and a re-run's. */
function compareRecorded(r: RecordedVerdict, v: Verdict<Action>): string[] {
  const out: string[] = [];
  if (v.kind !== r.kind) return [`verdict: recorded ${r.kind}, got ${v.kind}`];
  if (v.kind === 'invariant-violated' && v.invariant !== r.invariant) {
    out.push(`invariant: recorded ${r.invariant}, got ${v.invariant}`);
  }
  const length = 'trace' in v ? v.trace.length : v.stats.edges;
  if (length !== r.length) out.push(`length: recorded ${r.length} steps, got ${length}`);
  return out;
}
