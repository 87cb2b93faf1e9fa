/**
 * The command-line options follow the option schemas (model/bounds.ts, app/searchOptions.ts): every field is
 * an option with its help, presets keep every field a flag does not override, and values are checked
 * against the same schema as bounds from anywhere else.
 */
import { describe, expect, it } from 'vitest';
import { cli } from '../../test/cli.js';
import { MAX_WORKERS, SEARCH_FIELDS } from '../app/searchOptions.js';
import { BOUND_FIELDS, flagOf } from '../model/bounds.js';
import { PRESETS } from '../model/presets.js';

describe('bounds options follow the bounds schema', () => {
  it('every bound of the schema is an option of explore, run and simulate', async () => {
    for (const command of ['explore', 'run', 'simulate']) {
      const help = (await cli(command, '--help')).stdout;
      for (const f of BOUND_FIELDS) expect(help, `${command} --${flagOf(f)}`).toContain(`--${flagOf(f)}`);
    }
  });

  it('every search option of the schema is an option of explore, specs and bench', async () => {
    for (const command of ['explore', 'specs', 'bench']) {
      const help = (await cli(command, '--help')).stdout;
      for (const f of SEARCH_FIELDS) expect(help, `${command} --${flagOf(f)}`).toContain(`--${flagOf(f)}`);
    }
  });

  it('search options are checked against their schema: too many workers, a zero time', async () => {
    const many = await cli('explore', '--workers', String(MAX_WORKERS + 1));
    expect(many.status).toBe(2);
    expect(many.stderr).toContain(`--workers: expected an integer 1..${MAX_WORKERS} or auto`);
    const zero = await cli('explore', '--max-seconds', '0');
    expect(zero.status).toBe(2);
    expect(zero.stderr).toContain('--max-seconds: expected a positive number, got 0');
    const fine = await cli('explore', '--preset', 'core-tuple', '--max-seconds', '0.5', '--workers', '1');
    expect(fine.status).toBe(1);
  });

  it('a preset keeps every one of its fields (whole-model: map, swap, data)', async () => {
    const r = await cli('explore', '--preset', 'whole-model', '--max-depth', '1', '--json');
    const bounds = JSON.parse(r.stdout).bounds;
    for (const [key, value] of Object.entries(PRESETS['whole-model'])) expect(bounds[key], key).toEqual(value);
  });

  it('a flag overrides only its own field of the preset', async () => {
    // No swap: pageout is left out (it could never run: refused as bad input).
    const ops = ['--ops', 'fault,zap,fork,wp,pin,unpin,write,read'];
    const r = await cli('explore', '--preset', 'whole-model', '--swap', '0', ...ops, '--max-depth', '1', '--json');
    const bounds = JSON.parse(r.stdout).bounds;
    expect(bounds.swap).toBe(0);
    expect(bounds.data).toBe(true);
    expect(bounds.map).toBe(2);
  });

  it('a flag with words takes one of them, or none (--symmetry mms|none), and refuses any other', async () => {
    const worded = BOUND_FIELDS.filter((f) => f.words !== undefined);
    expect(worded.map((f) => f.key)).toContain('symmetry');
    for (const f of worded) {
      const bare = await cli('explore', '--preset', 'core-safe-p0', `--${flagOf(f)}`, '--max-depth', '1', '--json');
      expect(JSON.parse(bare.stdout).bounds[f.key], `bare --${flagOf(f)}`).toBe(true);
      for (const [word, value] of Object.entries(f.words ?? {})) {
        const args = ['--preset', 'core-safe-p0', `--${flagOf(f)}`, word, '--max-depth', '1', '--json'];
        const r = await cli('explore', ...args);
        expect(r.status, `--${flagOf(f)} ${word}: not a usage error`).not.toBe(2);
        expect(JSON.parse(r.stdout).bounds[f.key] ?? false, `--${flagOf(f)} ${word}`).toBe(value);
      }
      const bad = await cli('explore', `--${flagOf(f)}`, 'everything', '--max-depth', '1');
      expect(bad.status).toBe(2);
      expect(bad.stderr).toContain(`--${flagOf(f)}: expected ${Object.keys(f.words ?? {}).join(' or ')}`);
      expect(bad.stderr).toContain('got "everything"');
    }
  });
});
