/**
 * The text and JSON of `run`, `specs`, `bench` and `simulate` (explore's is render.ts's `formatVerdict`).
 */

import type { BenchRun } from '../app/bench.js';
import type { ReplayRun } from '../app/replay.js';
import type { StepsRun } from '../app/run.js';
import type { Verdict } from '../checker/verdict.js';
import type { Action } from '../model/actions.js';
import type { Config } from '../model/config.js';
import type { KernelSystem, SpecResult } from '../spec.js';
import { replay, TraceDoesNotReplay } from '../trace.js';
import { formatBounds, formatDecisions, formatSteps, formatVerdict, itfTrace, verdictJson, wrap } from './render.js';
import { formatCoverage } from './renderCoverage.js';

export interface Rendered {
  readonly text: string;
  readonly json: unknown;
}

/** `run`: the steps with what each changed, and the verdict first. */
export function renderRun(r: StepsRun, cfg: Config, coverage = false): Rendered {
  const { run, indices, sys } = r;
  const rep = run.replay;
  const lines = [...formatSteps(rep)];
  if (run.violation !== undefined) {
    const v = run.violation;
    lines.unshift(...wrap(`run: VIOLATION of ${v.invariant} after step ${v.step} of ${indices.length}`, ''), '');
    lines.push('', `  ${v.invariant} fails:`, ...v.why.flatMap((w) => wrap(w, '    ')));
  } else if (rep.failure !== undefined) {
    lines.unshift(`run: KERNEL WARNING at step ${rep.failure.step}: ${rep.failure.why}`, '');
  } else {
    const n = sys.invariantNames.length;
    const held = n === 1 ? '1 invariant holds' : `${n} invariants hold`;
    lines.unshift(`run: pass: ${held} after each of ${indices.length} steps`, '');
  }
  lines.push(
    `  bounds: ${formatBounds(cfg)}`,
    ...formatDecisions(cfg),
    ...formatCoverage(r.verdict.coverage, coverage),
  );
  // The common result shape (verdictJson), with every step that ran, a pass's included.
  const json = {
    ...verdictJson(sys, r.verdict, 'run'),
    ...(run.violation !== undefined ? { after: run.violation.step } : {}),
    trace: rep.steps.map((s, i) => {
      const { kind, ...params } = s.action;
      return { step: i + 1, action: kind, params, label: s.label, call: s.call, changes: s.changes };
    }),
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
export function renderSimulate(sys: KernelSystem, cfg: Config, v: Verdict<Action>, coverage = false): Rendered {
  const covered = formatCoverage(v.coverage, coverage);
  const w = v.walks ?? { runs: 0, steps: 0, seed: 0, originalLength: 0 };
  const { seed, steps } = w;
  if (v.kind === 'incomplete') {
    const { reason, detail } = v.incomplete;
    const text = [
      `simulate: incomplete (${detail}): no violation in ${v.stats.states} states visited by walks of up to ` +
        `${steps} steps (seed ${seed})`,
      `  bounds: ${formatBounds(cfg)}`,
      `  ${v.stats.seconds.toFixed(2)} s`,
      ...covered,
    ].join('\n');
    const json = {
      verdict: 'incomplete',
      incomplete: { reason, detail },
      seed,
      runs: w.runs,
      steps,
      states: v.stats.states,
      seconds: v.stats.seconds,
      bounds: cfg.bounds(),
      ...(v.coverage !== undefined ? { coverage: v.coverage } : {}),
    };
    return { text, json };
  }
  if (v.kind === 'success') {
    const text = [
      `simulate: pass: ${w.runs} random walks of up to ${steps} steps, no violation (seed ${seed})`,
      `  bounds: ${formatBounds(cfg)}`,
      `  ${v.stats.seconds.toFixed(2)} s`,
      ...covered,
    ].join('\n');
    const json = { ...verdictJson(sys, v, 'simulate'), verdict: 'pass', seed, runs: w.runs, steps };
    return { text, json };
  }
  const what = v.kind === 'invariant-violated' ? v.invariant : v.message;
  const lines = wrap(
    `simulate: ${v.kind === 'invariant-violated' ? `VIOLATION of ${what}` : what} after ${v.trace.length} ` +
      `steps, shrunk from ${w.originalLength} (seed ${seed}; not necessarily shortest: explore finds that)`,
    '',
  );
  let shown: string[] = [];
  try {
    const rep = replay(
      sys,
      v.trace.map((s) => s.index),
      v.kind !== 'invariant-violated',
    );
    shown = formatSteps(rep);
    if (v.kind === 'invariant-violated') {
      const last = rep.steps.at(-1)?.after ?? rep.initial;
      shown.push(...sys.explain(sys.invariantNames.indexOf(what), last).flatMap((x) => wrap(x, '    ')));
    }
  } catch (e) {
    if (!(e instanceof TraceDoesNotReplay)) throw e;
    shown = [`  (the trace does not replay: ${e.message})`];
  }
  const text = [...lines, '', ...shown, `  bounds: ${formatBounds(cfg)}`, ...covered].join('\n');
  const json = {
    ...verdictJson(sys, v, 'simulate'),
    what,
    seed,
    runs: w.runs,
    steps,
    originalLength: w.originalLength,
  };
  return { text, json };
}

/** `replay`: the re-run's verdict, and whether the recorded one recurs. */
export function renderReplay(file: string, r: ReplayRun): Rendered {
  const v = r.verdict;
  const rec = r.recorded;
  const recorded = `${rec.kind}${rec.invariant !== undefined ? ` of ${rec.invariant}` : ''} after ${rec.length} steps`;
  const lines = [formatVerdict(r.sys, v, `replay ${file}`)];
  if (v.mismatches.length === 0) lines.push(`  recorded: ${recorded} -- recurs`);
  else for (const m of v.mismatches) lines.push(`  DOES NOT RECUR: ${m}`);
  const json = {
    ...verdictJson(r.sys, v, `replay ${file}`),
    recorded: rec,
    recurs: v.mismatches.length === 0,
    mismatches: v.mismatches,
  };
  return { text: lines.join('\n'), json };
}
