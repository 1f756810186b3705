import { StreamNaming, eventTypesRegex } from './naming';

describe('stream naming', () => {
  const plain = new StreamNaming();
  const t1 = new StreamNaming('t1');

  it('keeps port stream ids as KurrentDB stream names (categories stay clue, case…), prefixed by a namespace', () => {
    expect(plain.streamName('clue-42')).toBe('clue-42');
    expect(t1.streamName('clue-42')).toBe('t1.clue-42');
    expect(t1.streamIdOf('t1.clue-42')).toBe('clue-42');
    expect(t1.streamIdOf('t2.clue-42')).toBeUndefined();
    expect(plain.streamIdOf('线索-532622-0001')).toBe('线索-532622-0001');
  });

  it('refuses stream ids in the system or adapter space, and namespaces that would need escaping', () => {
    expect(() => plain.streamName('$bc-x')).toThrow(/reserved/);
    expect(() => plain.streamName('_atr.eventid-1')).toThrow(/reserved/);
    expect(() => plain.streamName('')).toThrow(/empty/);
    expect(() => new StreamNaming('a.b')).toThrow(/namespace/);
    expect(plain.streamIdOf('$ce-clue')).toBeUndefined();
    expect(t1.streamIdOf('t1._atr.checkpoint-x')).toBeUndefined();
  });

  it('filters user streams of the namespace only, server side', () => {
    const users = (naming: StreamNaming) => new RegExp(naming.userStreamsRegex());
    for (const name of ['clue-1', 'case-2', '线索-1']) expect(users(plain).test(name)).toBe(true);
    for (const name of ['$bc-clue-1', '$$clue-1', '$ce-clue', '_atr.eventid-1', '_atr.checkpoint-a']) expect(users(plain).test(name)).toBe(false);
    expect(users(t1).test('t1.clue-1')).toBe(true);
    for (const name of ['clue-1', 't2.clue-1', 't1x.clue-1', 't1._atr.eventid-1', '$bc-t1.clue-1']) expect(users(t1).test(name)).toBe(false);
  });

  it('names claims, checkpoints and journeys inside the namespace', () => {
    expect(t1.claimStream('0b6a')).toBe('t1._atr.eventid-0b6a');
    expect(plain.checkpointStream('bus-police')).toBe('_atr.checkpoint-bus-police');
    expect(() => plain.checkpointStream('a b')).toThrow();
    expect(t1.correlationKey('clue-7')).toBe('t1.clue-7');
    expect(plain.correlationStream('clue-7')).toBe('$bc-clue-7');
  });

  it('filters event types exactly, not by prefix', () => {
    const types = new RegExp(eventTypesRegex(['ClueSubmitted', 'Clue.Referred']));
    expect(types.test('ClueSubmitted')).toBe(true);
    expect(types.test('Clue.Referred')).toBe(true);
    expect(types.test('ClueSubmittedV2')).toBe(false);
    expect(types.test('CluexReferred')).toBe(false);
    expect(new RegExp(eventTypesRegex([])).test('ClueSubmitted')).toBe(false);
  });
});
