/**
 * SQL form of `covers(jurisdiction, column)`: a province covers its 2-digit prefix, a city its
 * 4-digit prefix, a county only itself. Returns a clause and its parameter.
 */
export function coverageClause(column: string, jurisdiction: string): { sql: string; param: string } {
  if (jurisdiction.endsWith('0000')) return { sql: `${column} LIKE ?`, param: `${jurisdiction.slice(0, 2)}%` };
  if (jurisdiction.endsWith('00')) return { sql: `${column} LIKE ?`, param: `${jurisdiction.slice(0, 4)}%` };
  return { sql: `${column} = ?`, param: jurisdiction };
}
