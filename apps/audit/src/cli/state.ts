/**
 * A record as it was, read over HTTP. Audit's own generic view (every fact stated so far) is
 * always available; the owning service's view (its decision state) is read where it offers one.
 */
export async function readStateAsOf(server: string, apiKey: string, streamId: string, at: { asOf?: string; position?: string }): Promise<unknown> {
  const query = new URLSearchParams();
  if (at.asOf) query.set('asOf', at.asOf);
  if (at.position) query.set('position', at.position);
  const url = new URL(`/audit/streams/${encodeURIComponent(streamId)}${query.size ? `?${query}` : ''}`, server);
  const response = await fetch(url, { headers: { 'x-api-key': apiKey } });
  const body = await response.json().catch(() => undefined);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status} ${JSON.stringify(body)}`);
  return body;
}
