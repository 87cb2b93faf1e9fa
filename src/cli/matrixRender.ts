/**
 * The matrix as a kernel developer reads it: one row per era / AnonExclusive granularity / scheme, one
 * column per property, each cell "holds" or the length of the shortest counterexample and the mix it is in;
 * as text (within 100 columns), Markdown, or JSON with the traces.
 */

import {
  type Cell,
  cellKey,
  findingName,
  type Matrix,
  type MatrixRow,
  type MixRun,
  PROPERTIES,
  policyKey,
} from '../matrix.js';
import { actionLabel } from '../model/actions.js';
import { DECISIONS, figureLines } from '../model/consequences.js';
import { schemeByName } from '../model/mapcount/index.js';
import { wrap } from './render.js';

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

function mixLetter(m: Matrix, name: string): string {
  return LETTERS[m.mixes.findIndex((x) => x.name === name)] ?? '?';
}

function cellText(m: Matrix, c: Cell | undefined, markdown: boolean): string {
  if (c === undefined || c.kind === 'n/a') return 'n/a';
  if (c.kind === 'holds') return markdown ? 'holds' : 'ok';
  if (c.kind === 'not-covered') return markdown ? 'not covered' : '?';
  const f = c.finding;
  return markdown ? `**${f.trace.length}** (${f.mix})` : `x${f.trace.length} ${mixLetter(m, f.mix)}`;
}

/** Sentences under the table: the bounds, the legend, what was not covered, and the schemes' figures. */
function notes(m: Matrix): string[] {
  const out: string[] = [];
  // Some counts below are of classes of states: say so once, and how to get the plain counts.
  if (m.symmetry.length > 0) {
    out.push(
      ...wrap(
        `States of ${m.symmetry.join(', ')}: one per renaming of the mms (mms are interchangeable once created; ` +
          'the same verdicts and shortest counterexamples, traces concrete); with --symmetry none every state counts.',
        '',
      ),
    );
  }
  for (const [i, mix] of m.mixes.entries()) {
    const runs = m.runs.filter((r) => r.mix === mix.name);
    const states = runs.map((r) => r.states);
    const range =
      states.length === 0
        ? 'not run'
        : `${Math.min(...states).toLocaleString('en-US')}-${Math.max(...states).toLocaleString('en-US')} states`;
    const b = mix.bounds;
    // Whether "holds" means the whole reachable space, or only to the mix's depth bound.
    const complete = runs.length > 0 && runs.every((r) => r.ended === 'exhausted');
    // The depth it held to: the mix's own, or --max-depth's (a mix without a depth is explored whole).
    const depth = mix.depth ?? Math.max(0, ...runs.map((r) => r.stats.depth));
    out.push(
      ...wrap(
        `${LETTERS[i]} ${mix.name} (${complete ? 'complete state space' : `to depth ${depth}`}; mms=${b.mms} va=${b.va} pt=${b.pt} large=${b.large} ` +
          `slots=${b.slots} pins=${b.pins}${b.swap ? ` swap=${b.swap}` : ''} ops=${b.ops.join(',')}; ${range}): ` +
          mix.about,
        '',
      ),
    );
    out.push(...mixCoverage(runs));
  }
  const cut = m.runs.filter((r) => !r.covered);
  if (cut.length > 0) {
    out.push('', 'NOT COVERED (a bound cut these runs short; "ok" in their rows means less):');
    for (const r of cut) out.push(`  ${policyKey(r.policy)} ${r.mix}: ${r.ended}, ${r.states} states`);
  }
  for (const [policy, schemes] of m.schemeFigures) {
    for (const [name, counts] of schemes) {
      if (name === DECISIONS) {
        const decider = m.runs.find((r) => policyKey(r.policy) === policy)?.policy.decider;
        for (const line of figureLines(decider, counts)) out.push(...wrap(`${policy}: ${line}`, ''));
        continue;
      }
      const scheme = schemeByName(name);
      const lines = scheme?.report?.({ counts: new Map(counts) }) ?? [];
      const byMix = m.runs
        .filter((r) => policyKey(r.policy) === policy && r.schemeCounts.has(name))
        .map((r) => `${r.mix} ${scheme?.figure?.({ counts: new Map(r.schemeCounts.get(name)) }) ?? ''}`);
      for (const line of lines) out.push(...wrap(`${policy} ${name} ${line}; by mix: ${byMix.join(', ')}`, ''));
    }
  }
  return out;
}

/**
 * A mix's coverage over its runs (one per policy): a step kind or branch the mix enables that some run never
 * fired is a warning naming the policies, so that "holds" is never read for a decision nobody took.
 */
function mixCoverage(runs: readonly MixRun[]): string[] {
  const counted = runs.filter((r) => r.coverage !== undefined);
  if (counted.length === 0) return [];
  const unfired = new Map<string, string[]>();
  for (const r of counted) {
    const c = r.coverage as NonNullable<MixRun['coverage']>;
    for (const what of [...c.unfired.steps.map((s) => `step ${s}`), ...c.unfired.branches.map((b) => `branch ${b}`)])
      unfired.set(what, [...(unfired.get(what) ?? []), policyKey(r.policy)]);
  }
  if (unfired.size === 0)
    return ['  coverage: every enabled step fired and every reachable branch was taken, in every run'];
  return [...unfired].flatMap(([what, policies]) =>
    wrap(
      `warning: ${what} never fired ${policies.length === counted.length ? 'in any run' : `under ${policies.join(', ')}`}`,
      '  ',
    ),
  );
}

/** The era table's columns (the era decides), and the decider table's (every property). */
const ERA_PROPERTIES = PROPERTIES.filter((p) => p.needsDecider !== true);
const eraRows = (m: Matrix): MatrixRow[] => m.rows.filter((r) => r.policy.decider === undefined);
const deciderRows = (m: Matrix): MatrixRow[] => m.rows.filter((r) => r.policy.decider !== undefined);
const eraAe = (r: MatrixRow): string => `${r.policy.era}/${r.policy.ae}`;

export function matrixText(m: Matrix): string {
  const props = (decided: boolean) => (decided ? PROPERTIES : ERA_PROPERTIES);
  const table = (rows: MatrixRow[], decided: boolean): string[] => {
    const head = ['era/ae', decided ? 'decider' : 'scheme', ...props(decided).map((p) => p.title)];
    // Within 100 columns: the decider table has one column more.
    const w = decided ? 8 : 9;
    const widths = [10, 18, ...props(decided).map(() => w)];
    const line = (cols: string[]): string =>
      cols
        .map((c, i) => c.padEnd(widths[i] ?? w))
        .join(' ')
        .trimEnd();
    const lines = [line(head)];
    let last = '';
    for (const row of rows) {
      const p = policyKey(row.policy);
      if (!decided && p !== last && last !== '') lines.push('');
      last = p;
      lines.push(line([eraAe(row), row.scheme, ...props(decided).map((q) => cellText(m, row.cells[q.key], false))]));
    }
    return lines;
  };
  const era = eraRows(m);
  const decided = deciderRows(m);
  const lines = [
    ...wrap(
      `foliocheck matrix: ${era.length} rows (era/ae x scheme) x ${ERA_PROPERTIES.length} properties over ` +
        `${m.mixes.length} mixes` +
        (decided.length > 0 ? `; then ${decided.length} rows with a scheme deciding` : ''),
      '',
    ),
    '',
    ...(era.length > 0 ? table(era, false) : []),
  ];
  if (decided.length > 0) {
    lines.push(
      '',
      ...wrap(
        "Each scheme deciding: the kernel's mapcount decisions (COW reuse, deferred split, reclaim, MADV_PAGEOUT, " +
          "pagemap) ask this scheme instead of the era's counts; what breaks is the consequence:",
        '',
      ),
      '',
      ...table(decided, true),
    );
  }
  lines.push(
    '',
    ...wrap(
      'ok: holds in every mix within its bounds (each mix below says: in its complete state space, or to its depth); xN L: shortest counterexample, N steps, in mix L; n/a: no ' +
        'PG_anon_exclusive before 5.19 (split: judged only when a scheme decides); ?: nothing found, but not every mix was run to its bounds. See one: foliocheck matrix --show <era/ae/scheme/property>, e.g. ' +
        '--show 5.9/page/large-mapcount/pin or --show 6.15/page@tuple-naive/tuple-naive/isolation. Properties:',
      '',
    ),
  );
  for (const p of PROPERTIES) lines.push(...wrap(`${p.title} (${p.key}): ${p.description}`, '  '));
  lines.push('', 'Mixes:', ...notes(m));
  return lines.join('\n');
}

export function matrixMarkdown(m: Matrix): string {
  const table = (rows: MatrixRow[], decided: boolean): string[] => {
    const props = decided ? PROPERTIES : ERA_PROPERTIES;
    const head = ['era/ae', decided ? 'decider' : 'scheme', ...props.map((p) => p.title)];
    const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
    for (const row of rows) {
      const cells = props.map((q) => cellText(m, row.cells[q.key], true));
      lines.push(`| ${eraAe(row)} | ${row.scheme} | ${cells.join(' | ')} |`);
    }
    return lines;
  };
  const lines = eraRows(m).length > 0 ? table(eraRows(m), false) : [];
  if (deciderRows(m).length > 0) {
    lines.push('', 'Each scheme deciding (the consequences of its answers):', '', ...table(deciderRows(m), true));
  }
  lines.push('', ...PROPERTIES.map((p) => `- **${p.title}** (\`${p.key}\`): ${p.description}`), '');
  lines.push(...notes(m).map((l) => (l === '' ? '' : `    ${l}`)));
  return lines.join('\n');
}

function cellJson(row: MatrixRow, key: string, c: Cell | undefined): Record<string, unknown> {
  if (c === undefined || c.kind !== 'fails') return { key: cellKey(row, key), verdict: c?.kind ?? 'n/a' };
  const f = c.finding;
  return {
    key: cellKey(row, key),
    verdict: 'fails',
    length: f.trace.length,
    mix: f.mix,
    invariant: findingName(f),
    trace: f.trace.map((s) => actionLabel(s.action)),
  };
}

export function matrixJson(m: Matrix): Record<string, unknown> {
  return {
    properties: PROPERTIES.map(({ key, title, description }) => ({ key, title, description })),
    mixes: m.mixes,
    symmetry: m.symmetry,
    rows: m.rows.map((row) => ({
      era: row.policy.era,
      ae: row.policy.ae,
      ...(row.policy.decider !== undefined ? { decider: row.policy.decider } : {}),
      scheme: row.scheme,
      cells: Object.fromEntries(PROPERTIES.map((p) => [p.key, cellJson(row, p.key, row.cells[p.key])])),
    })),
    runs: m.runs.map(({ policy, mix, states, seconds, ended, covered, schemeCounts, coverage }) => ({
      era: policy.era,
      ae: policy.ae,
      ...(policy.decider !== undefined ? { decider: policy.decider } : {}),
      mix,
      states,
      seconds,
      ended,
      covered,
      schemeCounts: Object.fromEntries([...schemeCounts].map(([n, c]) => [n, Object.fromEntries(c)])),
      ...(coverage !== undefined ? { coverage } : {}),
    })),
    peakRssBytes: m.peakRssBytes,
    schemeFigures: Object.fromEntries(
      [...m.schemeFigures].map(([p, s]) => [p, Object.fromEntries([...s].map(([n, c]) => [n, Object.fromEntries(c)]))]),
    ),
  };
}
