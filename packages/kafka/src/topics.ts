import {
  AdditionalInformationProvided,
  AssessmentCompleted,
  AssessmentRequested,
  CaseSentForProsecution,
  CaseTransferred,
  ClueReferred,
  eventDefinition,
  HouseholdRegistrationApplied,
  InformationRequested,
  MissingChildAlertIssued,
  ReferralAccepted,
  ReferralAcknowledged,
  ReferralEscalated,
  ReferralRejected,
  ReintegrationReferred,
  VictimHandedOver,
  type ServiceName,
} from '@atr/contracts';

/**
 * One Kafka topic per kind of hand-off between services. Every record is one stored event
 * (the envelope as JSON), keyed by its correlationId — the journey of one clue — so all of a
 * journey's events of one topic land in one partition, in the order they were appended.
 */
export interface TopicDefinition {
  /** Name without the deployment's prefix (KAFKA_TOPIC_PREFIX). */
  name: string;
  /** Event types carried; each is written by `producer` (its relay publishes them). */
  types: readonly string[];
  producer: ServiceName;
  /** Consumer groups of other services that receive it; empty: for agencies outside the platform. */
  consumers: readonly string[];
  summary: string;
}

export type TopicCatalogue = readonly TopicDefinition[];

const types = (...defs: { type: string }[]) => defs.map((d) => d.type);

export const TOPICS: TopicCatalogue = [
  {
    name: 'clue-referrals',
    types: types(ClueReferred),
    producer: 'intake',
    consumers: ['police:inbox'],
    summary: 'Hand-off 移送: a triaged clue goes to the police unit of its jurisdiction.',
  },
  {
    name: 'clue-information',
    types: types(AdditionalInformationProvided),
    producer: 'intake',
    consumers: ['police:information'],
    summary: "The submitting agency's answer to a police request for more information.",
  },
  {
    name: 'referral-outcomes',
    types: types(ReferralAcknowledged, ReferralAccepted, ReferralRejected, InformationRequested, ReferralEscalated),
    producer: 'police',
    consumers: ['intake:feedback'],
    summary: 'What police did with a referral, fed back to the submitting agency (反馈).',
  },
  {
    name: 'victim-handovers',
    types: types(VictimHandedOver),
    producer: 'police',
    consumers: ['placement:handover'],
    summary: 'A rescued victim handed to civil affairs for shelter and placement.',
  },
  {
    name: 'case-notices',
    types: types(MissingChildAlertIssued, CaseTransferred, CaseSentForProsecution),
    producer: 'police',
    consumers: [],
    summary: 'Missing-child alerts (团圆), case transfers and prosecutions: for agencies outside the platform.',
  },
  {
    name: 'assessment-requests',
    types: types(AssessmentRequested),
    producer: 'placement',
    consumers: ['assessment:requests'],
    summary: 'Civil affairs asks a hospital, psychologist or the disabled persons’ federation for an assessment.',
  },
  {
    name: 'placement-notices',
    types: types(HouseholdRegistrationApplied, ReintegrationReferred),
    producer: 'placement',
    consumers: [],
    summary: 'Household registration (落户) applications and reintegration referrals: for agencies outside the platform.',
  },
  {
    name: 'assessment-results',
    types: types(AssessmentCompleted),
    producer: 'assessment',
    consumers: ['placement:assessment-results'],
    summary: 'A completed assessment with its outcome, back to the placement file.',
  },
];

/** Topic names may use letters, digits, '.', '_' and '-'. */
export const TOPIC_PREFIX_PATTERN = /^[A-Za-z0-9._-]*$/;

/** The topic that carries an event type, if any. */
export function topicOf(catalogue: TopicCatalogue, type: string): TopicDefinition | undefined {
  return catalogue.find((t) => t.types.includes(type));
}

/** Topics whose events a service writes: what its relay publishes. */
export function topicsProducedBy(catalogue: TopicCatalogue, service: ServiceName): TopicDefinition[] {
  return catalogue.filter((t) => t.producer === service);
}

/** The service that writes an event type (from the event catalogue). */
export function ownerOf(type: string): ServiceName | undefined {
  return eventDefinition(type)?.owner;
}

/** Kafka names of one deployment: every topic and group id starts with its prefix. */
export class KafkaNames {
  constructor(readonly prefix: string) {
    if (!TOPIC_PREFIX_PATTERN.test(prefix)) throw new Error(`topic prefix ${JSON.stringify(prefix)} may only use letters, digits, '.', '_' and '-'`);
  }

  topic(t: TopicDefinition | string): string {
    return this.prefix + (typeof t === 'string' ? t : t.name);
  }

  /** The consumer group id of a bus group ('police:inbox' → '<prefix>police:inbox'). */
  groupId(group: string): string {
    return this.prefix + group;
  }

  /** Each group has its own dead-letter topic ('police:inbox' → '<prefix>dead-letters.police.inbox'). */
  deadLetterTopic(group: string): string {
    return `${this.prefix}dead-letters.${group.replace(/[^A-Za-z0-9_-]+/g, '.')}`;
  }

  /** How far the dead letters of a group have been re-driven (a consumer group on its dead-letter topic). */
  redriveGroupId(group: string): string {
    return `${this.prefix}${group}~redrive`;
  }
}
