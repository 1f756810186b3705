export { TOPICS, KafkaNames, topicOf, topicsProducedBy, ownerOf, TOPIC_PREFIX_PATTERN, type TopicDefinition, type TopicCatalogue } from './topics';
export { KafkaBus, type KafkaBusOptions, type TransportStatus } from './kafka-bus';
export { redriveDeadLetterTopic, type RedriveCommandOptions } from './redrive-command';
export { KafkaSettings, KafkaSettingsSchema, KafkaBrokers } from './settings';
export type { RelayStatus } from './relay';
export { rawProduce, createTopic, type RawProduceResult } from './bench/raw-produce';
