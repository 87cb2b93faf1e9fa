/**
 * The generated views are the schema's: the committed views.generated.ts is what generate.ts makes of
 * schema.ts now (run `npm run generate` after changing the schema), and a field added to a record gets
 * its accessors and helpers without any other edit.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { flag, type RecordSpec, range } from './field.js';
import { generateViews, writeGenerated } from './generate.js';
import { PIN, RECORDS } from './schema.js';

/** A record of one flag and no arrays, imported by the generated code as a type named `type`. */
const leaf = (type: string): RecordSpec => ({ type, doc: 'A test record.', fields: [flag('on', 'Set.')], arrays: [] });
const importLines = (text: string): string[] => {
  const lines = text.split('\n');
  const first = lines.findIndex((l) => l.startsWith('import type {') && !l.includes('./field.js'));
  const last = lines.findIndex((l, i) => i >= first && l.endsWith("from './schema.js';"));
  return lines.slice(first, last + 1);
};

describe('generated state code', () => {
  it('views.generated.ts is fresh: regenerating from schema.ts gives the committed text', () => {
    const committed = readFileSync(new URL('./views.generated.ts', import.meta.url), 'utf8');
    expect(committed).toBe(generateViews());
  });

  it('a field added to the schema gets a view accessor at the next word and plain helpers', () => {
    const pin = { ...PIN, fields: [...PIN.fields, flag('longterm', 'FOLL_LONGTERM.', { guard: 'live' })] };
    const text = generateViews(RECORDS.map((r) => (r === PIN ? pin : r)));
    const at = PIN.fields.length;
    expect(text).toContain(`export const PIN_WORDS = ${at + 1};`);
    expect(text).toContain(`  get longterm(): boolean {\n    return this.w[this.o + ${at}] !== 0;`);
    expect(text).toContain('  dst.longterm = src.longterm;');
    expect(text).toContain('  dst.longterm = false;');
    expect(text).toContain('    longterm: false,');
  });

  it('an int field gets a number accessor', () => {
    const pin = { ...PIN, fields: [...PIN.fields, range('refs', 'References.', (cfg) => cfg.mms)] };
    const text = generateViews(RECORDS.map((r) => (r === PIN ? pin : r)));
    expect(text).toContain(`  set refs(v: number) {\n    this.w[this.o + ${PIN.fields.length}] = v;`);
  });

  it("imports the schema's names in Biome's order, upper case first where names differ only in case", () => {
    // `Mm` (a record with no arrays, imported as a type) beside MM (the mm record's constant).
    const [line] = importLines(generateViews([...RECORDS, leaf('Mm')]));
    expect(line).toMatch(/\bMM, Mm\b/);
  });

  it('keeps the import on one line up to 120 characters, one name a line beyond', () => {
    const base = (importLines(generateViews())[0] as string).length;
    // Each name adds itself and ", ".
    const named = (extra: number) =>
      importLines(generateViews([...RECORDS, leaf(`Z${'z'.repeat(120 - base - 3 + extra)}`)]));
    const at120 = named(0);
    expect(at120.length).toBe(1);
    expect(at120[0]?.length).toBe(120);
    const over = named(1);
    expect(over[0]).toBe('import type {');
    expect(over.at(-1)).toBe("} from './schema.js';");
    expect(over.slice(1, -1).every((l) => /^ {2}[A-Za-z_]+,$/.test(l))).toBe(true);
    expect(over.length).toBe((at120[0] as string).split(', ').length + 2);
  });

  it('writes the text where it is asked', () => {
    const dir = mkdtempSync(join(tmpdir(), 'foliocheck-generate-'));
    try {
      const file = join(dir, 'views.ts');
      expect(writeGenerated(file)).toBe(file);
      expect(readFileSync(file, 'utf8')).toBe(generateViews());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
