import { readCsv } from '../testing/csv-reader';
import { CSV_BOM, csvField, toCsv } from './csv';

describe('CSV (RFC 4180)', () => {
  it('leaves plain fields, numbers and Chinese text as they are', () => {
    expect(csvField('532622')).toBe('532622');
    expect(csvField(0)).toBe('0');
    expect(csvField(0.6667)).toBe('0.6667');
    expect(csvField(true)).toBe('true');
    expect(csvField('砚山县公安局刑侦大队')).toBe('砚山县公安局刑侦大队');
  });

  it('writes null and undefined as empty fields', () => {
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
  });

  it('quotes fields with commas, quotes, CR or LF, doubling the quotes', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('他说"救命"')).toBe('"他说""救命"""');
    expect(csvField('第一行\n第二行')).toBe('"第一行\n第二行"');
    expect(csvField('x\ry')).toBe('"x\ry"');
    expect(csvField('"')).toBe('""""');
  });

  it('starts with a byte-order mark and ends every record with CRLF', () => {
    expect(toCsv(['a', 'b'], [[1, null]])).toBe(`${CSV_BOM}a,b\r\n1,\r\n`);
  });

  it('reads back exactly what it wrote, whatever the fields hold', () => {
    const header = ['agencyId', 'name', 'note', 'n'];
    const rows = [
      ['wenshan-procuratorate', '文山州人民检察院', '移送起诉, 跟踪"回访"', 3],
      ['x', '多行\r\n文本', '', 0],
      ['y', ',', '""', -1],
    ];
    expect(readCsv(toCsv(header, rows))).toEqual([header, ...rows.map((r) => r.map(String))]);
  });

  it('has a reader that refuses malformed CSV (so the round trip above proves something)', () => {
    expect(() => readCsv('a,"b\r\n')).toThrow(/unterminated/);
    expect(() => readCsv('a\nb\r\n')).toThrow(/bare line break/);
    expect(() => readCsv('a,b')).toThrow(/no CRLF/);
    expect(() => readCsv('a"b"\r\n')).toThrow(/quote inside/);
  });
});
