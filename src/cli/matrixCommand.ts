/**
 * `foliocheck matrix`: the selection from the options, the matrix run (app/matrix.ts) with progress and
 * Ctrl-C, printed, or one cell's counterexample (`--show 5.9/page/large-mapcount/pin`).
 */
import { computeMatrix, type MatrixSelection, matrixVerdict, showCell } from '../app/matrix.js';
import { MAX_WORKERS } from '../app/searchOptions.js';
import { defaultWorkers } from '../checker/parallel.js';
import { exitStatus } from '../checker/verdict.js';
import {
  DECIDER_POLICIES,
  type Matrix,
  MIXES,
  POLICIES,
  type Policy,
  PROPERTIES,
  policyKey,
  type SymmetryChoice,
} from '../matrix.js';
import { AE_GRANULARITIES } from '../model/config.js';
import { ERAS, eraRules } from '../model/eras.js';
import { SCHEME_NAMES } from '../model/mapcount/index.js';
import { withInterrupt } from './interrupt.js';
import { matrixJson, matrixMarkdown, matrixText } from './matrixRender.js';
import { parseCount } from './options.js';
import { formatVerdict, wrap } from './render.js';
import { UsageError } from './usageError.js';

export interface RawMatrixOptions {
  markdown?: boolean;
  json?: boolean;
  show?: string;
  era?: string;
  ae?: string;
  scheme?: string;
  mix?: string;
  maxDepth?: string;
  maxSeconds?: string;
  workers?: string;
  decideWith?: string;
  /** --symmetry [all|none]: one state per renaming of the mms in every mix or none (bare: all); absent: per mix. */
  symmetry?: boolean | string;
}

/** --symmetry: bare means every mix; absent, each mix's own choice (`Mix.symmetry`). */
function symmetryChoice(raw: boolean | string): SymmetryChoice {
  if (raw === true || raw === 'all') return 'all';
  if (raw === 'none') return 'none';
  throw new UsageError(`--symmetry: expected all or none (or nothing: all), got ${JSON.stringify(raw)}`);
}

/** --workers: searches side by side (default one per core); any number gives the same table. */
function matrixWorkers(raw: string | undefined): number {
  if (raw === undefined || raw === 'auto') return defaultWorkers();
  const n = parseCount('workers', raw);
  if (n > MAX_WORKERS) throw new UsageError(`--workers: expected an integer 1..${MAX_WORKERS} or auto, got ${raw}`);
  return n;
}

function list(flag: string, raw: string | undefined, allowed: readonly string[]): string[] | undefined {
  if (raw === undefined) return undefined;
  // An empty item is refused like an unknown one (`5.9,,5.19`, ``): never silently dropped.
  const items = raw.split(',').map((x) => x.trim());
  const bad = items.filter((x) => !allowed.includes(x));
  if (bad.length > 0) {
    throw new UsageError(
      `--${flag}: expected a comma-separated list of ${allowed.join(', ')}, got ${JSON.stringify(raw)}`,
    );
  }
  return items;
}

function select(o: RawMatrixOptions): MatrixSelection {
  const eras = list('era', o.era, ERAS);
  const aes = list('ae', o.ae, AE_GRANULARITIES);
  const policies: Policy[] = POLICIES.filter(
    (p) => (eras === undefined || eras.includes(p.era)) && (aes === undefined || aes.includes(p.ae)),
  );
  if (policies.length === 0) {
    throw new UsageError(
      `--era/--ae: expected a policy the matrix has (before 5.19 only --ae page), got ${o.era}/${o.ae}`,
    );
  }
  const schemes = list('scheme', o.scheme, SCHEME_NAMES) ?? SCHEME_NAMES;
  // The decider table: the selected schemes each deciding (default), those named, or none.
  const deciders = o.decideWith === 'none' ? [] : (list('decide-with', o.decideWith, SCHEME_NAMES) ?? schemes);
  policies.push(
    ...DECIDER_POLICIES.filter(
      (p) =>
        deciders.includes(p.decider as string) &&
        (eras === undefined || eras.includes(p.era)) &&
        (aes === undefined || aes.includes(p.ae)),
    ),
  );
  const names = list(
    'mix',
    o.mix,
    MIXES.map((m) => m.name),
  );
  const mixes = names === undefined ? MIXES : MIXES.filter((m) => names.includes(m.name));
  return { policies, schemes, mixes };
}

async function compute(sel: MatrixSelection, o: RawMatrixOptions): Promise<Matrix> {
  const tty = process.stderr.isTTY === true;
  const t0 = performance.now();
  try {
    return await withInterrupt((signal) =>
      computeMatrix(sel, {
        signal,
        workers: matrixWorkers(o.workers),
        ...(o.symmetry !== undefined ? { symmetry: symmetryChoice(o.symmetry) } : {}),
        ...(o.maxDepth !== undefined ? { depth: parseCount('max-depth', o.maxDepth) } : {}),
        ...(o.maxSeconds !== undefined ? { maxSeconds: parseCount('max-seconds', o.maxSeconds) } : {}),
        onProgress: (done, total, policy, mix, states) => {
          if (!tty) return;
          const s = ((performance.now() - t0) / 1000).toFixed(0);
          const st = states > 0 ? `, ${states.toLocaleString('en-US')} states` : '';
          process.stderr.write(`\r\x1b[Kmatrix: run ${done + 1}/${total} ${policyKey(policy)} ${mix}${st}, ${s} s`);
        },
      }),
    );
  } finally {
    if (tty) process.stderr.write('\r\x1b[K');
  }
}

/** --show era/ae/scheme/property: the cell's counterexample, step by step. */
async function show(key: string, sel: MatrixSelection, o: RawMatrixOptions): Promise<number> {
  const parts = key.split('/');
  const [era, ae, scheme, property] = parts;
  // `6.15/page@tuple-naive/tuple-naive/isolation`: a cell of the decider table.
  const policy = [...POLICIES, ...DECIDER_POLICIES].find((p) => policyKey(p) === `${era}/${ae}`);
  const expected = `era/ae/scheme/property or era/ae@decider/scheme/property, e.g. 5.9/page/large-mapcount/pin or 6.15/page@tuple-naive/tuple-naive/isolation (eras ${ERAS.join(', ')}; ae page or folio, folio from 5.19; schemes ${SCHEME_NAMES.join(', ')}; properties ${PROPERTIES.map((p) => p.key).join(', ')})`;
  if (
    parts.length !== 4 ||
    policy === undefined ||
    scheme === undefined ||
    property === undefined ||
    !SCHEME_NAMES.includes(scheme) ||
    !PROPERTIES.some((p) => p.key === property)
  ) {
    throw new UsageError(`--show: expected ${expected}, got ${JSON.stringify(key)}`);
  }
  const one = { ...sel, policies: [policy] };
  const m = await compute(one, o);
  const cell = showCell(m, one, policy, scheme, property);
  const title = `matrix ${key}`;
  if (cell.kind === 'n/a') {
    process.stdout.write(`${title}: not applicable (PG_anon_exclusive does not exist in ${era})\n`);
  } else if (cell.kind === 'not-covered') {
    process.stdout.write(`${title}: nothing found, but not every mix was run to its bounds\n`);
  } else if (cell.kind === 'holds') {
    const runs = m.runs.map((r) => `${r.mix} (${r.ended})`).join(', ');
    process.stdout.write(`${title}: holds in every mix within its bounds: ${runs}\n`);
  } else if (cell.kind === 'fails') {
    const about = wrap(`mix ${cell.mix.name}: ${cell.mix.about}`, '  ').join('\n');
    process.stdout.write(`${formatVerdict(cell.sys, cell.verdict, `${title} (mix ${cell.mix.name})`)}\n${about}\n`);
    if (!eraRules(policy.era).anonExclusive) process.stdout.write('  (no PG_anon_exclusive in this era)\n');
  }
  return exitStatus(cell.verdict);
}

export async function cmdMatrix(o: RawMatrixOptions): Promise<number> {
  if (o.markdown === true && o.json === true)
    throw new UsageError('matrix: expected at most one of --markdown, --json');
  const sel = select(o);
  if (o.show !== undefined) return show(o.show, sel, o);
  const m = await compute(sel, o);
  const out =
    o.json === true ? JSON.stringify(matrixJson(m), null, 2) : o.markdown === true ? matrixMarkdown(m) : matrixText(m);
  process.stdout.write(`${out}\n`);
  return exitStatus(matrixVerdict(m, sel));
}
