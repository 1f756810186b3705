import { eventCatalogue } from '@atr/contracts';
import { KafkaNames, ownerOf, TOPICS, topicOf } from './topics';

describe('the topic catalogue', () => {
  it('carries every hand-off event of the event catalogue, each in exactly one topic', () => {
    const handoffs = eventCatalogue().filter((d) => d.handoff).map((d) => d.type);
    for (const type of handoffs) expect(TOPICS.filter((t) => t.types.includes(type)).map((t) => t.name)).toHaveLength(1);
    const all = TOPICS.flatMap((t) => t.types);
    expect(new Set(all).size).toBe(all.length);
  });

  it('puts on each topic only events its producer writes', () => {
    for (const topic of TOPICS) for (const type of topic.types) expect(`${type}: ${ownerOf(type)}`).toBe(`${type}: ${topic.producer}`);
  });

  it('names topics, groups and dead-letter topics under the deployment prefix', () => {
    const names = new KafkaNames('prod.');
    expect(names.topic(topicOf(TOPICS, 'ClueReferred')!)).toBe('prod.clue-referrals');
    expect(names.groupId('police:inbox')).toBe('prod.police:inbox');
    expect(names.deadLetterTopic('police:inbox')).toBe('prod.dead-letters.police.inbox');
    expect(() => new KafkaNames('bad prefix')).toThrow(/may only use/);
  });
});
