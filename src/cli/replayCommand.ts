/**
 * `foliocheck replay FILE`: re-checks an ITF trace file (written by `--out`) under its recorded bounds and
 * policy (app/replay.ts), and prints whether the recorded verdict recurs.
 */
import { replayTraceFile, TraceFileError } from '../app/replay.js';
import { exitStatus } from '../checker/verdict.js';
import { renderReplay } from './renderCommands.js';
import { readScriptFile } from './scriptInput.js';
import { UsageError } from './usageError.js';

export function cmdReplay(file: string, o: { json?: boolean }): number {
  let doc: unknown;
  try {
    doc = JSON.parse(readScriptFile(file, 'replay'));
  } catch (e) {
    throw new UsageError(`${file}: expected an ITF JSON trace file, got ${e instanceof Error ? e.message : String(e)}`);
  }
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
