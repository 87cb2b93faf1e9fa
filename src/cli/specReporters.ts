/**
 * How `foliocheck specs` reports for people and for CI: text (each result as it comes, `--quiet` for the
 * failures only), TAP 13 as kselftest prints it (`TAP version 13`, `1..N`, `ok N name`, `not ok N name` with
 * a YAML block, `# SKIP`), or JUnit XML (Jenkins, GitLab). Each reporter writes through `out`, one call per
 * piece, so that a long run shows its results as they come.
 */
import { exitStatus } from '../checker/verdict.js';
import type { Spec, SpecResult } from '../spec.js';
import { verdictWord } from './render.js';
import { formatSpecResult } from './renderCommands.js';

export const REPORTERS = ['text', 'tap', 'junit'] as const;
export type ReporterName = (typeof REPORTERS)[number];

/** A spec left out of the run, with why (a heavy spec without `--all`). */
export interface Skipped {
  readonly spec: Spec;
  readonly why: string;
}

export interface SpecReporter {
  /** Before the first spec: the specs to run and those skipped. */
  start(run: readonly Spec[], skipped: readonly Skipped[]): void;
  result(r: SpecResult): void;
  /** After the last: every result. */
  end(results: readonly SpecResult[]): void;
  /** Instead of `end` when an interrupt stopped the run: `done` of `total` specs ran. */
  interrupted(done: number, total: number): void;
}

const interruptedLine = (done: number, total: number): string =>
  `incomplete: interrupted after ${done} of ${total} specs`;

const met = (r: SpecResult): boolean => exitStatus(r.verdict) === 0;

/** Why a result is not met, one line each: a failing step's message, its mismatches, else its verdict. */
function failureLines(r: SpecResult): string[] {
  const v = r.verdict;
  const failed =
    v.kind === 'model-error' || v.kind === 'kernel-warning' ? [`${v.kind}: ${v.message.split('\n')[0]}`] : [];
  if (v.mismatches.length > 0 || failed.length > 0) return [...failed, ...v.mismatches];
  if (v.kind === 'incomplete') return [`incomplete: ${v.incomplete.detail}`];
  return [`verdict: ${v.kind}`];
}

export function textReporter(out: (s: string) => void, quiet: boolean): SpecReporter {
  return {
    start() {},
    result(r) {
      if (quiet && met(r)) return;
      out(`${formatSpecResult(r)}\n${r.spec.script === undefined ? '\n' : ''}`);
    },
    end(results) {
      const all = results.every(met);
      const status = exitStatus(results.map((r) => r.verdict));
      const what = status === 5 ? 'MODEL ERROR' : all ? 'every expectation met' : 'NOT every expectation met';
      out(`${results.length} spec${results.length === 1 ? '' : 's'} run: ${what}\n`);
    },
    interrupted(done, total) {
      out(`${interruptedLine(done, total)}\n`);
    },
  };
}

/** A TAP description: `#` starts a directive, so it is escaped; one line. */
const tapName = (name: string): string => name.replace(/\\/g, '\\\\').replace(/#/g, '\\#').replace(/\n/g, ' ');

/** A YAML double-quoted string (for TAP's diagnostic block). */
const yamlString = (s: string): string => JSON.stringify(s);

export function tapReporter(out: (s: string) => void): SpecReporter {
  let n = 0;
  return {
    start(run, skipped) {
      out(`TAP version 13\n1..${run.length + skipped.length}\n`);
      for (const s of skipped) {
        n += 1;
        out(`ok ${n} ${tapName(s.spec.name)} # SKIP ${tapName(s.why)}\n`);
      }
    },
    result(r) {
      n += 1;
      const ok = met(r);
      out(`${ok ? 'ok' : 'not ok'} ${n} ${tapName(r.spec.name)}\n`);
      if (ok) return;
      const v = r.verdict;
      const lines = [
        '  ---',
        `  verdict: ${verdictWord(v)}`,
        `  kind: ${v.kind}`,
        '  failures:',
        ...failureLines(r).map((l) => `    - ${yamlString(l)}`),
        `  seconds: ${v.stats.seconds.toFixed(3)}`,
        '  ...',
      ];
      out(`${lines.join('\n')}\n`);
    },
    end() {},
    interrupted(done, total) {
      // TAP's way to say the plan will not be completed.
      out(`Bail out! ${interruptedLine(done, total)}\n`);
    },
  };
}

const xml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function junitReporter(out: (s: string) => void): SpecReporter {
  let skippedSpecs: readonly Skipped[] = [];
  const done: SpecResult[] = [];
  const rep: SpecReporter = {
    start(_run, skipped) {
      skippedSpecs = skipped;
    },
    result(r) {
      done.push(r);
    },
    interrupted() {
      rep.end(done);
    },
    end(results) {
      const failures = results.filter((r) => !met(r) && exitStatus(r.verdict) !== 5).length;
      const errors = results.filter((r) => exitStatus(r.verdict) === 5).length;
      const seconds = results.reduce((t, r) => t + r.verdict.stats.seconds, 0);
      const group = (name: string): string => name.split(':')[0] as string;
      const lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        `<testsuites name="foliocheck specs" tests="${results.length + skippedSpecs.length}" failures="${failures}" errors="${errors}" skipped="${skippedSpecs.length}" time="${seconds.toFixed(3)}">`,
        `  <testsuite name="specs" tests="${results.length + skippedSpecs.length}" failures="${failures}" errors="${errors}" skipped="${skippedSpecs.length}" time="${seconds.toFixed(3)}">`,
      ];
      for (const r of results) {
        const head = `    <testcase classname="${xml(group(r.spec.name))}" name="${xml(r.spec.name)}" time="${r.verdict.stats.seconds.toFixed(3)}"`;
        if (met(r)) {
          lines.push(`${head}/>`);
          continue;
        }
        const tag = exitStatus(r.verdict) === 5 ? 'error' : 'failure';
        const why = failureLines(r);
        lines.push(`${head}>`);
        lines.push(`      <${tag} message="${xml(why[0] ?? '')}">${xml(formatSpecResult(r))}</${tag}>`);
        lines.push('    </testcase>');
      }
      for (const s of skippedSpecs) {
        lines.push(
          `    <testcase classname="${xml(group(s.spec.name))}" name="${xml(s.spec.name)}"><skipped message="${xml(s.why)}"/></testcase>`,
        );
      }
      lines.push('  </testsuite>', '</testsuites>');
      out(`${lines.join('\n')}\n`);
    },
  };
  return rep;
}

export function specReporter(name: ReporterName, out: (s: string) => void, quiet: boolean): SpecReporter {
  switch (name) {
    case 'text':
      return textReporter(out, quiet);
    case 'tap':
      return tapReporter(out);
    case 'junit':
      return junitReporter(out);
    default: {
      const never: never = name;
      return never;
    }
  }
}
