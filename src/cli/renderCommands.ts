/**
 * The text and JSON of `run`, `specs`, `bench` and `simulate` (explore's is render.ts's `formatVerdict`).
 */

import type { StepsRun } from '../app/run.js';
import type { BenchRun } from '../app/specs.js';
import type { Verdict } from '../checker/verdict.js';
import type { Action } from '../model/actions.js';
import type { Config } from '../model/config.js';
import type { KernelSystem, SpecResult } from '../spec.js';
import { replay, TraceDoesNotReplay } from '../trace.js';
import { formatBounds, formatSteps, formatVerdict, itfTrace, verdictJson, wrap } from './render.js';

export interface Rendered {
  readonly text: string;
  readonly json: unknown;
}

/** `run`: the steps with what each changed, and the verdict first. */
export function renderRun(r: StepsRun, cfg: Config): Rendered {
  const { run, indices, sys } = r;
  const rep = run.replay;
  const lines = [...formatSteps(rep)];
  let verdict: string;
  if (run.violation !== undefined) {
    const v = run.violation;
    verdict = 'violation';
    lines.unshift(...wrap(`run: VIOLATION of ${v.invariant} after step ${v.step} of ${indices.length}`, ''), '');
    lines.push('', `  ${v.invariant} fails:`, ...v.why.flatMap((w) => wrap(w, '    ')));
  } else if (rep.failure !== undefined) {
    verdict = 'violation';
    lines.unshift(`run: KERNEL WARNING at step ${rep.failure.step}: ${rep.failure.why}`, '');
  } else {
    verdict = 'pass';
    lines.unshift(`run: pass: ${sys.invariantNames.length} invariants hold after each of ${indices.length} steps`, '');
  }
  lines.push(`  bounds: ${formatBounds(cfg)}`);
  const json = {
    verdict,
    ...(run.violation !== undefined ? { invariant: run.violation.invariant, after: run.violation.step } : {}),
    ...(rep.failure !== undefined ? { message: rep.failure.why } : {}),
    trace: rep.steps.map((s, i) => ({ step: i + 1, action: s.label, call: s.call, changes: s.changes })),
    itf: itfTrace(sys, rep, 'run'),
    bounds: cfg.bounds(),
  };
  return { text: lines.join('\n'), json };
}

/** One spec's result: a scripted pass in one line, else the verdict and whether it met its expectation. */
export function formatSpecResult(r: SpecResult): string {
  const v = r.verdict;
  if (r.spec.script !== undefined && v.kind === 'success' && v.mismatches.length === 0) {
    return wrap(`${r.spec.name}: pass (${v.stats.edges} steps)`, '').join('\n');
  }
  const lines = [formatVerdict(r.sys, v, r.spec.name)];
  if (v.mismatches.length === 0) lines.push(`  expected: ${expectation(r)} -- met`);
  else for (const m of v.mismatches) lines.push(`  UNMET EXPECTATION ${m}`);
  return lines.join('\n');
}

function expectation(r: SpecResult): string {
  const e = r.spec.expect;
  if (e.verdict === 'invariant-violated') return `${e.invariant} violated in ${e.traceLength} steps`;
  const figures = [
    e.states !== undefined ? `${e.states.toLocaleString('en-US')} states` : undefined,
    e.edges !== undefined ? `${e.edges.toLocaleString('en-US')} edges` : undefined,
    e.depth !== undefined ? `depth ${e.depth}` : undefined,
  ].filter((x) => x !== undefined);
  return `pass${figures.length > 0 ? `, ${figures.join(', ')}` : ''}`;
}

export function specJson(r: SpecResult): Record<string, unknown> {
  const v = r.verdict;
  return {
    ...verdictJson(r.sys, v, r.spec.name),
    expect: r.spec.expect,
    met: v.mismatches.length === 0,
    mismatches: v.mismatches,
  };
}

export function renderBench(name: string, b: BenchRun): Rendered {
  const v = b.verdict;
  const json = { ...verdictJson(b.sys, v, name), published: b.published, matchesPublished: v.mismatches.length === 0 };
  const text = [formatVerdict(b.sys, v, name), ...v.mismatches.map((m) => `  DIFFERS FROM PUBLISHED ${m}`)].join('\n');
  return { text, json };
}

/** `simulate`: a pass in three lines, or the shrunk walk step by step. */
export function renderSimulate(sys: KernelSystem, cfg: Config, v: Verdict<Action>): Rendered {
  const w = v.walks ?? { runs: 0, steps: 0, seed: 0, originalLength: 0 };
  const { seed, steps } = w;
  if (v.kind === 'success' || v.kind === 'incomplete') {
    const text = [
      `simulate: pass: ${w.runs} random walks of up to ${steps} steps, no violation (seed ${seed})`,
      `  bounds: ${formatBounds(cfg)}`,
      `  ${v.stats.seconds.toFixed(2)} s`,
    ].join('\n');
    const json = { verdict: 'pass', seed, runs: w.runs, steps, seconds: v.stats.seconds, bounds: cfg.bounds() };
    return { text, json };
  }
  const what = v.kind === 'invariant-violated' ? v.invariant : v.message;
  const lines = wrap(
    `simulate: ${v.kind === 'invariant-violated' ? `VIOLATION of ${what}` : what} after ${v.trace.length} ` +
      `steps, shrunk from ${w.originalLength} (seed ${seed}; not necessarily shortest: explore finds that)`,
    '',
  );
  let shown: string[] = [];
  let itf: unknown;
  try {
    const rep = replay(
      sys,
      v.trace.map((s) => s.index),
      v.kind !== 'invariant-violated',
    );
    shown = formatSteps(rep);
    itf = itfTrace(sys, rep, 'simulate');
    if (v.kind === 'invariant-violated') {
      const last = rep.steps.at(-1)?.after ?? rep.initial;
      shown.push(...sys.explain(sys.invariantNames.indexOf(what), last).flatMap((x) => wrap(x, '    ')));
    }
  } catch (e) {
    if (!(e instanceof TraceDoesNotReplay)) throw e;
    shown = [`  (the trace does not replay: ${e.message})`];
  }
  const text = [...lines, '', ...shown, `  bounds: ${formatBounds(cfg)}`].join('\n');
  const json = {
    verdict: v.kind === 'model-error' ? 'error' : 'violation',
    kind: v.kind,
    what,
    seed,
    runs: w.runs,
    steps,
    originalLength: w.originalLength,
    trace: v.trace.map((s, i) => {
      const { kind, ...params } = s.action;
      return { step: i + 1, action: kind, params };
    }),
    ...(itf !== undefined ? { itf } : {}),
    bounds: cfg.bounds(),
  };
  return { text, json };
}
