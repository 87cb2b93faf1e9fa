/**
 * `npm run generate` runs the built generate.js from the repository root: it writes views.generated.ts
 * there and says so. (It runs dist/, so the mutation runs leave it out: vitest.mutate.config.ts.)
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { GENERATED, generateViews } from './generate.js';

it('the built entry writes views.generated.ts under the working directory and says where', () => {
  const dir = mkdtempSync(join(tmpdir(), 'foliocheck-generate-'));
  try {
    mkdirSync(join(dir, 'src/model/state'), { recursive: true });
    const entry = new URL('../../../dist/src/model/state/generate.js', import.meta.url).pathname;
    const r = spawnSync(process.execPath, [entry], { cwd: dir, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(`wrote ${GENERATED}\n`);
    expect(readFileSync(join(dir, GENERATED), 'utf8')).toBe(generateViews());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
