/**
 * Malformed input against a built CLI, as real processes: every input below should be refused with exit 2
 * and one line `foliocheck: <where>: expected ..., got ...`, quickly. Counts the inputs that were accepted
 * (any other exit status), that hung (killed at the timeout), that printed a stack trace, and whose error
 * took more than one line; then sends SIGTERM to each long-running command mid-run and counts those that
 * reported (exit 3, an `incomplete` verdict, valid `--json`).
 *
 *   node dist/bench/malformed.js [path/to/bin.js] [--timeout <s>] [--verbose]
 *
 * Default: this build's `dist/src/cli/bin.js`. Run it on another build (the original one) for a before/after.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const ti = args.indexOf('--timeout');
const timeoutMs = (ti >= 0 ? Number(args[ti + 1]) : 10) * 1000;
const bin = args.find((a) => a.endsWith('.js')) ?? join(dirname(fileURLToPath(import.meta.url)), '../src/cli/bin.js');

const dir = mkdtempSync(join(tmpdir(), 'foliocheck-malformed-'));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const fifo = join(dir, 'fifo');
execFileSync('mkfifo', [fifo]);
const empty = file('empty.txt', '');
const comments = file('comments.txt', '# nothing but a comment\n\n# and another\n');
const big = file('big.txt', `fault(0,0);${' '.repeat(4 * 2 ** 20)}`);
const longLine = file('long.txt', `fault(${' '.repeat(160_000)}`);
const longArg = `fault(${' '.repeat(120_000)}`;

/** Each malformed input: the arguments after `foliocheck`. */
const INPUTS: readonly (readonly string[])[] = [
  // Empty lists and empty names.
  ['explore', '--preset', 'core-tuple', '--scheme', ''],
  ['explore', '--scheme', ','],
  ['explore', '--ops', ''],
  ['explore', '--ops', 'fault,,zap'],
  ['explore', '--orders', ''],
  ['specs', ''],
  ['explore', '--era', ''],
  // A bound that leaves an enabled step impossible.
  ['explore', '--mms', '1'],
  ['explore', '--ops', 'fault,fork', '--mms', '1'],
  ['explore', '--map', '0'],
  ['explore', '--preset', 'whole-model', '--map', '0', '--max-depth', '2'],
  ['explore', '--ops', 'fault,thp', '--pt', '1', '--large', '1', '--va', '4'],
  ['explore', '--ops', 'fault,split_folio', '--large', '1'],
  ['explore', '--ops', 'fault,pageout', '--swap', '0'],
  ['explore', '--ops', 'fault,pin', '--pins', '0'],
  ['explore', '--ops', 'fault,pin_rw,unpin', '--pins', '0'],
  ['explore', '--pins', '0'],
  ['run', '--steps', 'fault(0,0)', '--ops', 'fault,pageout', '--swap', '0'],
  // Era rules.
  ['explore', '--ae', 'folio', '--era', '5.9', '--max-depth', '2'],
  ['run', '--ae', 'folio', '--era', '5.8', '--steps', 'fault(0,0)'],
  ['simulate', '--ae', 'folio', '--era', '5.9', '--runs', '5'],
  // Contradictory flags.
  ['explore', '--tuple', '--no-tuple', '--max-depth', '2'],
  ['explore', '--no-tuple', '--tuple', '--max-depth', '2'],
  ['run', '--steps', 'fault(0,0)', '--file', empty],
  // Empty scripts.
  ['run', '--steps', ';;;'],
  ['run', '--steps', ''],
  ['run', '--steps', '# a comment'],
  ['run', '--file', empty],
  ['run', '--file', comments],
  ['explore', '--from', ';;'],
  // Malformed steps.
  ['run', '--steps', 'fault(0,,0)'],
  ['run', '--steps', 'fault(ro,rw)'],
  ['run', '--steps', 'fault(0,0,)'],
  ['run', '--steps', 'fault(0,0'],
  ['run', '--steps', 'fault 0 0'],
  ['run', '--steps', 'nosuch(0,0)'],
  ['run', '--steps', 'fault(0,99)'],
  ['run', '--steps', 'fault(-1,0)'],
  ['run', '--steps', 'fault(0x1,0)'],
  ['run', '--steps', 'fault(0,0)) '],
  ['run', '--steps', 'pin(0,0,xx)'],
  ['run', '--file', longLine],
  ['run', '--steps', longArg],
  // Files that are not regular files, or too large.
  ['run', '--file', fifo],
  ['run', '--file', '/dev/zero'],
  ['run', '--file', dir],
  ['run', '--file', big],
  ['run', '--file', join(dir, 'missing.txt')],
  // Bad numbers and words.
  ['explore', '--workers', '100000'],
  ['explore', '--workers', '0'],
  ['explore', '--max-states', '-1'],
  ['explore', '--max-seconds', 'abc'],
  ['explore', '--max-memory', '0'],
  ['explore', '--mms', '9'],
  ['explore', '--va', '3'],
  ['explore', '--large', '3'],
  ['explore', '--store', 'both'],
  ['explore', '--preset', 'nosuch'],
  ['explore', '--ae', 'huge'],
  ['simulate', '--runs', '0'],
  ['simulate', '--steps', 'x'],
  ['simulate', '--seed', '1.5'],
  ['bench', 'nosuch'],
  ['matrix', '--era', 'nosuch'],
  ['matrix', '--show', 'x/y'],
  ['matrix', '--max-depth', '0'],
  ['matrix', '--mix', ''],
  // The argument parser's own errors.
  ['explore', '--nosuch'],
  ['explore', 'stray'],
  ['run', 'stray', '--steps', 'fault(0,0)'],
  ['explore', '--mms'],
  ['nosuchcommand'],
  ['bench', 'core-safe-p0', 'stray'],
  ['kernel', '--steps', 'fault(0,,0)'],
  ['kernel', '--steps', ';;'],
];

interface Outcome {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly hung: boolean;
}

function runCli(argv: readonly string[], killAfterMs?: number, signal: NodeJS.Signals = 'SIGTERM'): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let hung = false;
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const kill = killAfterMs === undefined ? undefined : setTimeout(() => child.kill(signal), killAfterMs);
    const timer = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (status) => {
      clearTimeout(timer);
      if (kill !== undefined) clearTimeout(kill);
      resolve({ status, stdout, stderr, hung });
    });
  });
}

const STACK = /^\s+at .+[:(]/m;

async function malformed(): Promise<void> {
  let accepted = 0;
  let hangs = 0;
  let stacks = 0;
  let multiLine = 0;
  const queue = [...INPUTS];
  const work = async (): Promise<void> => {
    for (let argv = queue.shift(); argv !== undefined; argv = queue.shift()) {
      const o = await runCli(argv);
      const lines = o.stderr.split('\n').filter((l) => l.trim() !== '');
      const problems: string[] = [];
      if (o.hung) {
        hangs++;
        problems.push('hang');
      } else if (o.status !== 2) {
        accepted++;
        problems.push(`accepted (exit ${o.status})`);
      }
      if (STACK.test(o.stderr)) {
        stacks++;
        problems.push('stack trace');
      }
      if (!o.hung && o.status === 2 && lines.length > 1) {
        multiLine++;
        problems.push(`${lines.length}-line error`);
      }
      if (verbose || problems.length > 0) {
        const shown = argv.map((a) => (a.length > 40 ? `${a.slice(0, 20)}...(${a.length} chars)` : a));
        const line = lines[0]?.slice(0, 160) ?? '';
        process.stdout.write(`${problems.join(', ') || 'ok'}: ${JSON.stringify(shown)}  ${line}\n`);
      }
    }
  };
  await Promise.all([work(), work()]);
  process.stdout.write(
    `malformed inputs: ${INPUTS.length}; accepted-but-invalid ${accepted}, hangs ${hangs}, ` +
      `stack traces ${stacks}, multi-line errors ${multiLine}\n`,
  );
}

/** Long runs a signal should stop with a report: the arguments, and when to send it. */
const LONG_RUNS: readonly (readonly string[])[] = [
  ['explore', '--preset', 'core-safe', '--json'],
  ['explore', '--preset', 'core-safe', '--workers', '2', '--json'],
  ['specs', '--all', '--json'],
  ['simulate', '--preset', 'whole-model', '--runs', '100000000', '--steps', '50', '--seed', '1', '--json'],
  ['matrix', '--json'],
  ['bench', 'core-safe', '--json'],
  ['kernel', '--random', '--runs', '100000', '--seed', '1', '--json'],
];

async function signals(signal: NodeJS.Signals): Promise<void> {
  let reported = 0;
  for (const argv of LONG_RUNS) {
    const o = await runCli(argv, 2000, signal);
    let json = false;
    try {
      JSON.parse(o.stdout);
      json = true;
    } catch {}
    const ok = o.status === 3 && json && /incomplete|interrupted/.test(o.stdout);
    if (ok) reported++;
    if (verbose || !ok) {
      process.stdout.write(
        `${ok ? 'reported' : 'NO REPORT'} on ${signal}: ${argv.join(' ')}: exit ${o.status}, ${o.stdout.length} bytes ` +
          `out, json ${json}${o.hung ? ', hung' : ''}\n`,
      );
    }
  }
  process.stdout.write(`${signal} mid-run: ${reported} of ${LONG_RUNS.length} commands reported\n`);
}

await malformed();
if (!args.includes('--no-signals')) {
  await signals('SIGTERM');
  await signals('SIGINT');
}
