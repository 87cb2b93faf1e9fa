/**
 * The generated views are the schema's: the committed views.generated.ts is what generate.ts makes of
 * schema.ts now (run `npm run generate` after changing the schema), and a field added to a record gets
 * its accessors and helpers without any other edit.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { flag, range } from './field.js';
import { generateViews } from './generate.js';
import { PIN, RECORDS } from './schema.js';

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
});
