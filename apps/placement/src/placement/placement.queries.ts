import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { placementStream, type Actor, type AsOfFields, type AsOfQuery, type ListPlacementsQuery, type PlacementFile, type PlacementList } from '@atr/contracts';
import { asOfFields, CLOCK, CommandRunner, NotFound, READ_MODELS, ReadModels, type Clock } from '@atr/platform';
import { placementDecider } from './placement.decider';
import { coveredCodes, mayReadFile, toPlacementFile } from './placement.view';

export class GetPlacementFile extends Query<PlacementFile & AsOfFields> {
  constructor(
    readonly actor: Actor,
    readonly placementId: string,
    /** The file as it was at this point of the log (absent: now). */
    readonly at?: AsOfQuery,
  ) {
    super();
  }
}

/**
 * The file is read from the stream itself: always current, and the source of truth; or as it was
 * at a point of the log (checked on the file now and then).
 */
@QueryHandler(GetPlacementFile)
export class GetPlacementFileHandler implements IQueryHandler<GetPlacementFile, PlacementFile & AsOfFields> {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ actor, placementId, at }: GetPlacementFile): Promise<PlacementFile & AsOfFields> {
    const read = await this.runner.loadForReader(placementStream(placementId), placementDecider, at, (state) => mayReadFile(state, actor));
    if (!read?.state) throw new NotFound('placement', placementId);
    const file = toPlacementFile(read.state, read.past?.evaluatedAt ?? this.clock.now());
    return { ...file, ...(read.past && at ? asOfFields(at, read.past) : {}) };
  }
}

export class ListPlacements extends Query<PlacementList> {
  constructor(
    readonly actor: Actor,
    readonly filter: ListPlacementsQuery,
  ) {
    super();
  }
}

interface Row {
  placement_id: string;
  case_id: string;
  status: PlacementFile['status'];
  jurisdiction: string;
  civil_affairs_agency_id: string | null;
  victim_name: string | null;
  victim_is_child: number;
  victim_age_years: number | null;
  shelter_name: string | null;
  opened_at: string;
  updated_at: string;
}

@QueryHandler(ListPlacements)
export class ListPlacementsHandler implements IQueryHandler<ListPlacements, PlacementList> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}

  async execute({ actor, filter }: ListPlacements): Promise<PlacementList> {
    const rows = this.readModels.db
      .prepare(
        `SELECT * FROM placement_files WHERE jurisdiction LIKE @codes AND (@status IS NULL OR status = @status)
         ORDER BY opened_at DESC, placement_id LIMIT @limit`,
      )
      .all({ codes: coveredCodes(actor.jurisdiction), status: filter.status ?? null, limit: filter.limit }) as Row[];
    return {
      items: rows.map((r) => ({
        placementId: r.placement_id,
        caseId: r.case_id,
        status: r.status,
        jurisdiction: r.jurisdiction,
        civilAffairsAgencyId: r.civil_affairs_agency_id,
        victim: { name: r.victim_name, isChild: r.victim_is_child === 1, ageYears: r.victim_age_years },
        shelterName: r.shelter_name,
        openedAt: r.opened_at,
        updatedAt: r.updated_at,
      })),
    };
  }
}
