/**
 * `foliocheck replay FILE`: re-checks an ITF trace file (written by `--out`) under its recorded bounds and
 * policy (app/replay.ts), and prints whether the recorded verdict recurs.
 */
import { dirname } from 'node:path';
import { replayTraceFile, TraceFileError } from '../app/replay.js';
import { exitStatus } from '../checker/verdict.js';
import { SCHEMES } from '../model/mapcount/index.js';
import { loadSchemeFile } from '../schemeFile.js';
import { renderReplay } from './renderCommands.js';
import { readScriptFile } from './scriptInput.js';
import { UsageError } from './usageError.js';

export async function cmdReplay(file: string, o: { json?: boolean }): Promise<number> {
  let doc: unknown;
  try {
    doc = JSON.parse(readScriptFile(file, 'replay'));
  } catch (e) {
    throw new UsageError(`${file}: expected an ITF JSON trace file, got ${e instanceof Error ? e.message : String(e)}`);
  }
  await loadTraceSchemes(doc, file);
  let r: ReturnType<typeof replayTraceFile>;
  try {
    r = replayTraceFile(doc, file);
  } catch (e) {
    if (e instanceof TraceFileError) throw new UsageError(e.message);
    throw e;
  }
  const out = renderReplay(file, r);
  process.stdout.write(o.json === true ? `${JSON.stringify(out.json, null, 2)}\n` : `${out.text}\n`);
  return exitStatus(r.verdict);
}

/**
 * The scheme files a trace names (`#meta.scheme-files`: scheme name -> absolute path, written by `--out`),
 * loaded before the bounds are checked, so that their names are known schemes. A path that no longer
 * loads, or loads a scheme of another name, is bad input naming the field.
 */
async function loadTraceSchemes(doc: unknown, file: string): Promise<void> {
  const meta = (doc as { '#meta'?: { 'scheme-files'?: unknown } } | null)?.['#meta'];
  const files = meta?.['scheme-files'];
  if (files === undefined) return;
  const field = `${file}: #meta.scheme-files`;
  if (files === null || typeof files !== 'object' || Array.isArray(files))
    throw new UsageError(`${field}: expected an object of scheme name -> file path, got ${JSON.stringify(files)}`);
  for (const [name, path] of Object.entries(files)) {
    if (typeof path !== 'string')
      throw new UsageError(`${field}.${name}: expected a file path, got ${JSON.stringify(path)}`);
    if (SCHEMES.some((x) => x.name === name)) continue;
    let loaded: string;
    try {
      loaded = await loadSchemeFile(path, dirname(file), `#meta.scheme-files.${name}`);
    } catch (e) {
      throw new UsageError(`${field}.${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (loaded !== name)
      throw new UsageError(`${field}.${name}: expected a scheme named ${name}, got ${loaded} (${path})`);
  }
}
