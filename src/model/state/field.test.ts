/**
 * The schema's declarations (field.ts): each field's codec code agrees with its type (a bool is a flag or
 * listed, an int is a range or a name), a range has a minimum and a maximum it can hold under any bounds,
 * and a field is found by name or the error names the record and the field.
 */
import { describe, expect, it } from 'vitest';
import { config } from '../../../test/helpers.js';
import { bitsFor, fieldOf, flag, range } from './field.js';
import { PIN, RECORDS } from './schema.js';

const INT_CODES = ['range', 'folio', 'swap', 'content', 'anon_vma', 'order', 'derived'];

describe('field declarations', () => {
  it('flag() and range() declare a one-bit flag and a range from 0 to its maximum', () => {
    const cfg = config({ mms: 3 });
    const f = flag('on', 'Set.');
    expect([f.type, f.code]).toEqual(['bool', 'flag']);
    const r = range('n', 'Counted.', (c) => c.mms + 1, { guard: 'on' });
    expect([r.type, r.code, r.guard, r.min(cfg), r.max(cfg)]).toEqual(['int', 'range', 'on', 0, 4]);
  });

  it("every field of the schema has a code of its type, and every range's bounds hold", () => {
    const cfgs = [config(), config({ mms: 4, va: 8, pt: 4, large: 4, slots: 6, pins: 2, swap: 2, data: true })];
    for (const r of RECORDS) {
      for (const f of r.fields) {
        const where = `${r.type}.${f.name}`;
        if (f.type === 'bool') expect(['flag', 'listed'], where).toContain(f.code);
        else expect(INT_CODES, where).toContain(f.code);
        if (f.code !== 'range') continue;
        for (const cfg of cfgs) {
          expect(f.min(cfg), where).toBeLessThanOrEqual(f.max(cfg));
          expect(bitsFor(f.max(cfg) - f.min(cfg)), where).toBeGreaterThanOrEqual(0);
        }
      }
    }
  });

  it('fieldOf finds a field by name, and names the record and the field it lacks', () => {
    expect(fieldOf(PIN, 'addr').name).toBe('addr');
    expect(() => fieldOf(PIN, 'nope' as never)).toThrow('Pin has no field nope');
  });
});
