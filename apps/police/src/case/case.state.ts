import {
  BuyerFamilyRecorded,
  CaseClosed,
  CaseListedForSupervision,
  CaseOpened,
  CaseSentForProsecution,
  CaseSolved,
  CaseTransferred,
  ClueAttachedToCase,
  DnaMatchFound,
  DnaSampleTaken,
  MissingChildAlertIssued,
  SuspectIdentified,
  TaskForceLeaderAssigned,
  TaskForceLeaderRemoved,
  VictimHandedOver,
  VictimRescued,
  type BuyerFamily,
  type CaseDetail,
  type CaseStatus,
  type DomainEvent,
  type PayloadOf,
} from '@atr/contracts';
import { payloadOf } from '../shared/events';

type Opened = PayloadOf<typeof CaseOpened>;

export interface CaseState extends Omit<CaseDetail, 'status' | 'caseId' | 'title' | 'category' | 'childCase' | 'jurisdiction' | 'agencyId'> {
  status: CaseStatus | 'NONE';
  caseId?: string;
  title?: string;
  category?: Opened['category'];
  childCase: boolean;
  jurisdiction?: string;
  agencyId?: string;
  buyerFamilies: BuyerFamily[];
}

export const initialCaseState = (): CaseState => ({
  status: 'NONE',
  childCase: false,
  referralIds: [],
  clueIds: [],
  leader: null,
  samples: [],
  matches: [],
  suspects: [],
  alerts: [],
  buyerFamilies: [],
  victims: [],
  supervision: [],
  transfers: [],
  solution: null,
  prosecution: null,
  closure: null,
});

const without = <T extends object, K extends keyof T>(value: T, key: K): Omit<T, K> => {
  const { [key]: _dropped, ...rest } = value;
  void _dropped;
  return rest;
};

export function evolveCase(state: CaseState, event: DomainEvent): CaseState {
  switch (event.type) {
    case CaseOpened.type: {
      const p = payloadOf(CaseOpened, event);
      return {
        ...state,
        status: 'OPEN',
        caseId: p.caseId,
        title: p.title,
        category: p.category,
        childCase: p.childCase,
        jurisdiction: p.jurisdiction,
        agencyId: p.agencyId,
        openedAt: event.occurredAt,
        referralIds: [p.referralId],
        clueIds: [p.clueId],
        leader: p.taskForceLeader ?? null,
      };
    }
    case ClueAttachedToCase.type: {
      const p = payloadOf(ClueAttachedToCase, event);
      return { ...state, referralIds: [...state.referralIds, p.referralId], clueIds: [...new Set([...state.clueIds, p.clueId])] };
    }
    case TaskForceLeaderAssigned.type:
      return { ...state, leader: payloadOf(TaskForceLeaderAssigned, event).leader };
    case TaskForceLeaderRemoved.type:
      return { ...state, leader: null };
    case DnaSampleTaken.type:
      return { ...state, samples: [...state.samples, without(payloadOf(DnaSampleTaken, event), 'caseId')] };
    case DnaMatchFound.type:
      return { ...state, matches: [...state.matches, without(payloadOf(DnaMatchFound, event), 'caseId')] };
    case SuspectIdentified.type: {
      const p = without(payloadOf(SuspectIdentified, event), 'caseId');
      return { ...state, suspects: [...state.suspects.filter((s) => s.suspectId !== p.suspectId), p] };
    }
    case MissingChildAlertIssued.type:
      return { ...state, alerts: [...state.alerts, without(payloadOf(MissingChildAlertIssued, event), 'caseId')] };
    case BuyerFamilyRecorded.type:
      return { ...state, buyerFamilies: [...state.buyerFamilies, payloadOf(BuyerFamilyRecorded, event).family] };
    case VictimRescued.type: {
      const p = payloadOf(VictimRescued, event);
      const rescue = { victim: p.victim, rescuedAt: p.rescuedAt, placementId: null, ...(p.place ? { place: p.place } : {}) };
      return { ...state, victims: [...state.victims, rescue] };
    }
    case VictimHandedOver.type: {
      const p = payloadOf(VictimHandedOver, event);
      return { ...state, victims: state.victims.map((v) => (v.victim.victimId === p.victim.victimId ? { ...v, placementId: p.placementId } : v)) };
    }
    case CaseTransferred.type: {
      const p = payloadOf(CaseTransferred, event);
      // the case now belongs to the receiving unit: the previous one loses access
      return {
        ...state,
        jurisdiction: p.handoff.to.jurisdiction,
        agencyId: p.handoff.to.agencyId ?? state.agencyId,
        transfers: [...state.transfers, { handoff: p.handoff, at: event.occurredAt }],
      };
    }
    case CaseListedForSupervision.type: {
      const p = payloadOf(CaseListedForSupervision, event);
      return { ...state, supervision: [...state.supervision, { level: p.level, ...(p.note ? { note: p.note } : {}), listedAt: event.occurredAt }] };
    }
    case CaseSolved.type:
      return { ...state, status: 'SOLVED', solution: payloadOf(CaseSolved, event).summary };
    case CaseSentForProsecution.type:
      return { ...state, status: 'SENT_FOR_PROSECUTION', prosecution: { handoff: payloadOf(CaseSentForProsecution, event).handoff, at: event.occurredAt } };
    case CaseClosed.type:
      return { ...state, status: 'CLOSED', closure: payloadOf(CaseClosed, event).reason };
    default:
      return state;
  }
}

/** Solved or beyond: the condition for dissolving a child case's task force or closing it. */
export const isSolved = (state: CaseState): boolean => state.solution !== null;
