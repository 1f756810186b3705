/** Where the owning service answers for its own record, as it was (its decision state). */
const OWNERS: Record<string, (id: string) => string> = {
  clue: (id) => `/clues/${id}/status`,
  referral: (id) => `/referrals/${id}`,
  case: (id) => `/cases/${id}`,
  placement: (id) => `/placements/${id}`,
  assessment: (id) => `/assessments/${id}`,
};

/**
 * A record as it was, read over HTTP: from the service that owns it (clue, referral, case,
 * placement, assessment), or audit's generic view of any stream (every fact stated so far)
 * with `facts` or for other streams.
 */
export async function readStateAsOf(server: string, apiKey: string, streamId: string, at: { asOf?: string; position?: string; facts?: boolean }): Promise<{ view: 'owner' | 'facts'; url: string; state: unknown }> {
  const query = new URLSearchParams();
  if (at.asOf) query.set('asOf', at.asOf);
  if (at.position) query.set('position', at.position);
  const match = /^([a-z]+)-(.+)$/.exec(streamId);
  const owner = match && !at.facts ? OWNERS[match[1]] : undefined;
  const path = owner ? owner(encodeURIComponent(match![2])) : `/audit/streams/${encodeURIComponent(streamId)}`;
  const url = new URL(`${path}${query.size ? `?${query}` : ''}`, server);
  const response = await fetch(url, { headers: { 'x-api-key': apiKey } });
  const body = await response.json().catch(() => undefined);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status} ${JSON.stringify(body)}`);
  return { view: owner ? 'owner' : 'facts', url: url.toString(), state: body };
}
