import { hash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { Actor, AgencyKind, DivisionCode, Role, covers } from '@atr/contracts';

export const AgencyConfig = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and dashes'),
  name: z.string().min(1),
  kind: AgencyKind,
  jurisdiction: DivisionCode,
  users: z
    .array(
      z.object({
        userId: z.string().min(1),
        role: Role.exclude(['SYSTEM']),
        /** Only the SHA-256 of the key is stored, never the key. */
        apiKeySha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be the hex SHA-256 of the API key'),
      }),
    )
    .default([]),
});
export type AgencyConfig = z.infer<typeof AgencyConfig>;

export const AgenciesFile = z.object({ agencies: z.array(AgencyConfig).min(1) });

export const hashApiKey = (key: string): string => hash('sha256', key, 'hex');

/** Agencies, their kind, jurisdiction and API keys, from the file named by AGENCIES_FILE. */
export class AgencyDirectory {
  private readonly byKeyHash = new Map<string, Actor>();
  private readonly byId = new Map<string, AgencyConfig>();

  constructor(readonly agencies: AgencyConfig[]) {
    for (const agency of agencies) {
      if (this.byId.has(agency.id)) throw new Error(`agency ${agency.id} is configured twice`);
      this.byId.set(agency.id, agency);
      for (const user of agency.users) {
        if (this.byKeyHash.has(user.apiKeySha256)) throw new Error(`an API key of ${agency.id}/${user.userId} is used twice`);
        this.byKeyHash.set(user.apiKeySha256, {
          agencyId: agency.id,
          agencyKind: agency.kind,
          jurisdiction: agency.jurisdiction,
          userId: user.userId,
          role: user.role,
        });
      }
    }
  }

  static fromFile(path: string): AgencyDirectory {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new Error(`AGENCIES_FILE ${path}: ${(error as Error).message}`);
    }
    const parsed = AgenciesFile.safeParse(raw);
    if (!parsed.success) {
      throw new Error(`AGENCIES_FILE ${path}:\n${parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n')}`);
    }
    return new AgencyDirectory(parsed.data.agencies);
  }

  authenticate(apiKey: string): Actor | undefined {
    return this.byKeyHash.get(hashApiKey(apiKey));
  }

  get(agencyId: string): AgencyConfig | undefined {
    return this.byId.get(agencyId);
  }

  /** Agencies of a kind whose jurisdiction is exactly this code. */
  at(kind: AgencyKind, jurisdiction: string): AgencyConfig[] {
    return this.agencies.filter((a) => a.kind === kind && a.jurisdiction === jurisdiction);
  }

  /** The agency of a kind that covers the division most closely (county, then city, then province). */
  closest(kind: AgencyKind, division: string): AgencyConfig | undefined {
    const candidates = this.agencies.filter((a) => a.kind === kind && covers(a.jurisdiction, division));
    return candidates.sort((a, b) => specificity(b.jurisdiction) - specificity(a.jurisdiction))[0];
  }
}

function specificity(code: string): number {
  if (code.endsWith('0000')) return 1;
  if (code.endsWith('00')) return 2;
  return 3;
}

export const AGENCY_DIRECTORY = Symbol('AGENCY_DIRECTORY');
