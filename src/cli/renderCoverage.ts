/**
 * Coverage as text: one summary line and a warning per enabled step kind or reachable branch that never
 * fired; with `--coverage`, every count.
 */
import type { Coverage } from '../checker/transitionSystem.js';

const n = (x: number): string => x.toLocaleString('en-US');

/** Coverage lines (indented as a verdict's figures); none when the run counted none. */
export function formatCoverage(c: Coverage | undefined, full = false): string[] {
  if (c === undefined) return [];
  const steps = Object.entries(c.steps);
  const branches = Object.entries(c.branches);
  const stepsFired = steps.length - c.unfired.steps.length;
  const branchesFired = branches.filter(([, x]) => x > 0).length;
  const lines = [
    `  coverage: ${stepsFired} of ${steps.length} step kinds fired, ${branchesFired} of ${branches.length} ` +
      `reachable branches taken${full ? '' : ' (--coverage: every count)'}`,
  ];
  if (full) {
    const width = Math.max(0, ...[...steps, ...branches].map(([name]) => name.length));
    const rows = (list: [string, number][]): string[] =>
      list.map(([name, x]) => `      ${name.padEnd(width)}  ${n(x).padStart(12)}`);
    lines.push('    steps (transitions that took each):', ...rows(steps));
    lines.push('    branches (times each was taken):', ...rows(branches));
  }
  for (const s of c.unfired.steps) lines.push(`  warning: step ${s} is enabled but never fired`);
  for (const b of c.unfired.branches) lines.push(`  warning: branch ${b} is reachable but was never taken`);
  return lines;
}
