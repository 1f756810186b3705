import type { SchoolSubmission } from '@atr/contracts';
import { canonicalJson, factsOf, requestHashOf } from './submission';

const body: SchoolSubmission = {
  sourceReference: 'ref-1',
  location: { divisionCode: '532622' },
  summary: '学生失联 😢',
  childMissing: true,
  childInDanger: false,
  schoolName: '砚山县第一小学',
  reason: 'UNEXPLAINED_DROPOUT',
  student: { name: '小明' },
};

describe('submission', () => {
  it('splits a flat body into common facts and source details', () => {
    expect(factsOf('SCHOOL', body)).toEqual({
      source: 'SCHOOL',
      location: { divisionCode: '532622' },
      summary: '学生失联 😢',
      childMissing: true,
      childInDanger: false,
      details: { source: 'SCHOOL', schoolName: '砚山县第一小学', reason: 'UNEXPLAINED_DROPOUT', student: { name: '小明' } },
    });
  });

  it('hashes canonically: key order does not matter, content and source do', () => {
    const reordered = Object.fromEntries(Object.entries(body).reverse()) as SchoolSubmission;
    expect(requestHashOf('SCHOOL', reordered)).toBe(requestHashOf('SCHOOL', body));
    expect(requestHashOf('SCHOOL', { ...body, summary: '学生失联' })).not.toBe(requestHashOf('SCHOOL', body));
    expect(requestHashOf('PUBLIC_TIP', body as never)).not.toBe(requestHashOf('SCHOOL', body));
    expect(requestHashOf('SCHOOL', body)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('writes canonical JSON with sorted keys at every level and no undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: undefined } })).toBe('{"a":{"d":[2,{"e":0,"f":1}]},"b":1}');
    // sorted by UTF-16 code units ('Z' < 'a' < 'e\u0301' < 'é'), escapes as JSON.stringify writes them
    expect(canonicalJson({ é: 1, 'e\u0301': [null, true, 'a"b', 1.5e-7, {}], '': [], Z: 'x', a: '\u2028' })).toBe(
      '{"":[],"Z":"x","a":"\u2028","e\u0301":[null,true,"a\\"b",1.5e-7,{}],"é":1}',
    );
  });

  it('keeps the hash of a stored submission: its retries must still match it', () => {
    // computed by the first implementation; a change of the canonical form would break idempotency
    expect(requestHashOf('SCHOOL', body)).toBe('sha256:8b1d1be71d1501b4e3da7ccfe01a1d05522d421c4e8aaeb358279be970b6d2b0');
  });
});
