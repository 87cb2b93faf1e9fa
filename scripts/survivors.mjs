// The mutants a Stryker run left, and a check of each by hand (docs/mutation-testing.md, "Classifying").
//
//   node scripts/survivors.mjs list REPORT [FILE]
//       every surviving or uncovered mutant of REPORT (Stryker's json report), or of one source FILE in it,
//       with its line, then each file's score
//   node scripts/survivors.mjs check REPORT FILE TEST...
//       applies each surviving or uncovered mutant of FILE to the source in turn (the report's replacement
//       spliced at its location), runs `vitest run TEST...`, restores the file; prints killed or SURVIVES
//
//   node scripts/survivors.mjs total REPORT...
//       the statuses of every file of every REPORT (a file in several: the last REPORT named wins, so name
//       them oldest first), summed per directory of src/model and in all, with the score; and the source
//       files of src/model (but tests and the generated views) that no REPORT holds
//
// STATUS=Survived (or NoCoverage, or both comma-separated) narrows which mutants are listed or checked.
// LINES=a,b,... checks only the mutants on those lines of FILE.
// PART=i/n checks only the i-th of n shares of them (i from 0), for n checks side by side in n worktrees.
// TEST may be a vitest option too: --bail=1 ends a run at its first failing test (a kill), which saves time.
// `check` edits the source in place: run it where no Stryker run is about to copy the tree (a git worktree).
// Killed part-way, it leaves the last mutant in FILE (the loop is synchronous: no signal handler would run):
// put the file back from git.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const [command, report, file, ...tests] = process.argv.slice(2);
const usage = 'usage: node scripts/survivors.mjs list REPORT [FILE] | check REPORT FILE TEST... | total REPORT...';
if (
  !['list', 'check', 'total'].includes(command) ||
  report === undefined ||
  (command === 'check' && tests.length === 0)
) {
  console.error(usage);
  process.exit(2);
}
if (command === 'total') {
  total(process.argv.slice(3));
  process.exit(0);
}
const files = JSON.parse(readFileSync(report, 'utf8')).files;
const wanted = new Set((process.env.STATUS ?? 'Survived,NoCoverage').split(','));

if (command === 'list') {
  for (const [path, f] of Object.entries(files)) {
    if (file !== undefined && path !== file) continue;
    const lines = f.source.split('\n');
    for (const m of f.mutants) {
      if (!wanted.has(m.status)) continue;
      const { line, column } = m.location.start;
      const to = JSON.stringify(m.replacement ?? '').slice(0, 120);
      console.log(`${path}:${line}:${column} ${m.status} ${m.mutatorName} -> ${to}`);
      console.log(`    | ${lines[line - 1].trim().slice(0, 140)}`);
    }
  }
  console.log('\nscore (killed + timed out over tested), and the count of each status:');
  for (const [path, f] of Object.entries(files)) {
    if (file !== undefined && path !== file) continue;
    const n = {};
    for (const m of f.mutants) n[m.status] = (n[m.status] ?? 0) + 1;
    const caught = (n.Killed ?? 0) + (n.Timeout ?? 0);
    const tested = caught + (n.Survived ?? 0) + (n.NoCoverage ?? 0);
    const score = tested === 0 ? '-' : `${((100 * caught) / tested).toFixed(2)}%`;
    console.log(`${path} ${score} ${JSON.stringify(n)}`);
  }
} else {
  const f = files[file];
  if (f === undefined) {
    console.error(`${report}: no file ${file} in this report`);
    process.exit(2);
  }
  const source = readFileSync(file, 'utf8');
  // The locations are the run's: a source changed since would splice at the wrong places.
  if (source !== f.source) {
    console.error(`${file}: changed since the run that wrote ${report}; its locations no longer apply`);
    process.exit(2);
  }
  const lines = source.split('\n');
  const offset = (p) => lines.slice(0, p.line - 1).reduce((n, l) => n + l.length + 1, 0) + p.column - 1;
  let killed = 0;
  let survives = 0;
  const [part, parts] = (process.env.PART ?? '0/1').split('/').map(Number);
  if (!(Number.isInteger(part) && Number.isInteger(parts) && part >= 0 && part < parts)) {
    console.error(`PART: expected i/n with 0 <= i < n, got ${process.env.PART}`);
    process.exit(2);
  }
  const only = process.env.LINES === undefined ? undefined : new Set(process.env.LINES.split(',').map(Number));
  let index = -1;
  try {
    for (const m of f.mutants) {
      if (!wanted.has(m.status) || (only !== undefined && !only.has(m.location.start.line))) continue;
      index++;
      if (index % parts !== part) continue;
      const from = offset(m.location.start);
      writeFileSync(file, source.slice(0, from) + m.replacement + source.slice(offset(m.location.end)));
      // Its own process group, killed whole after: a mutant that loops for ever must not leave vitest's
      // workers behind. A hang counts as killed, as Stryker's timeout does.
      const run = spawnSync('npx', ['vitest', 'run', ...tests], {
        encoding: 'utf8',
        timeout: 90_000,
        killSignal: 'SIGKILL',
        detached: true,
      });
      try {
        process.kill(-run.pid, 'SIGKILL');
      } catch {
        // the group has already exited
      }
      const passed = run.status === 0 && run.error === undefined;
      if (passed) survives++;
      else killed++;
      const { line, column } = m.location.start;
      const to = JSON.stringify(m.replacement).slice(0, 80);
      console.log(`${passed ? 'SURVIVES' : 'killed  '} ${line}:${column} ${m.mutatorName} -> ${to}`);
    }
  } finally {
    writeFileSync(file, source);
  }
  console.log(`killed ${killed}, survives ${survives}`);
}

/** `total`: see the head of this file. */
function total(reports) {
  const latest = new Map();
  for (const r of reports)
    for (const [path, f] of Object.entries(JSON.parse(readFileSync(r, 'utf8')).files)) {
      latest.set(path, f);
    }
  const sums = new Map();
  const add = (key, status) => {
    const n = sums.get(key) ?? {};
    n[status] = (n[status] ?? 0) + 1;
    sums.set(key, n);
  };
  for (const [path, f] of latest) {
    const dir = path.split('/').slice(0, -1).join('/');
    for (const m of f.mutants) {
      add(dir, m.status);
      add('all', m.status);
    }
  }
  const line = (key, n) => {
    const caught = (n.Killed ?? 0) + (n.Timeout ?? 0);
    const tested = caught + (n.Survived ?? 0) + (n.NoCoverage ?? 0);
    const score = tested === 0 ? '-' : `${((100 * caught) / tested).toFixed(2)}%`;
    const mutants = Object.values(n).reduce((a, b) => a + b, 0);
    console.log(`${key.padEnd(28)} ${score.padStart(7)} ${String(mutants).padStart(6)} ${JSON.stringify(n)}`);
  };
  console.log(`${'directory'.padEnd(28)} ${'score'.padStart(7)} mutants statuses`);
  for (const key of [...sums.keys()].filter((k) => k !== 'all').sort()) line(key, sums.get(key));
  line('all', sums.get('all') ?? {});
  const listed = spawnSync('git', ['ls-files', 'src/model'], { encoding: 'utf8' }).stdout.split('\n');
  const missing = listed.filter(
    (p) => p.endsWith('.ts') && !p.endsWith('.test.ts') && !p.endsWith('views.generated.ts') && !latest.has(p),
  );
  // Stryker leaves out a file it finds no mutant in (types only, static data).
  console.log(`source files of src/model in no report: ${missing.length === 0 ? 'none' : missing.join(' ')}`);
}
