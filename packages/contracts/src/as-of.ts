import { z } from 'zod';

// Reading a record as it was (time travel): the query every as-of read accepts and the fields
// its answer adds. Shared by the owning services' reads and the audit service.

/** A global log position in a query string. */
export const LogPositionParam = z.string().regex(/^\d{1,15}$/, 'must be a global position (a non-negative integer)').transform(Number);

/** `?asOf=` (an ISO 8601 instant) or `?position=` (a global log position): never both. */
export const AsOfQuery = z
  .object({
    asOf: z.iso.datetime({ offset: true }).optional().describe('the record as it was at this instant (events recorded at or before it)'),
    position: LogPositionParam.optional().describe('the record as it was once the global log reached this position (events at or before it)'),
  })
  .strict()
  .refine((q) => q.asOf === undefined || q.position === undefined, {
    path: ['position'],
    message: 'give either asOf or position, not both',
  });
export type AsOfQuery = z.infer<typeof AsOfQuery>;

/** Whether a query asks for the past (asOf or position given) rather than the present. */
export function asksForThePast(at: AsOfQuery | undefined): at is AsOfQuery {
  return at !== undefined && (at.asOf !== undefined || at.position !== undefined);
}

/**
 * What a read of the past adds to the record (absent from a read of the present): the point asked
 * for, the instant time-dependent fields (overdue, stay days) are measured against, and the last
 * event of the record that the answer includes.
 */
export const AsOfFields = z.object({
  asOf: z.string().optional().describe('echo of `asOf` (in UTC): the record as it was at that instant'),
  position: z.number().int().optional().describe('echo of `position`: the record as it was when the global log reached it'),
  evaluatedAt: z
    .string()
    .optional()
    .describe(
      'reads of the past only: the instant time-dependent fields are measured against (asOf, or when the log reached `position`; now if it has not yet). ' +
        'A future asOf is taken as asked: the record as it is now, judged at that instant.',
    ),
  lastPosition: z.number().int().optional().describe('reads of the past only: global position of the last event of this record included'),
});
export type AsOfFields = z.infer<typeof AsOfFields>;

/** How the owning services describe their as-of reads in OpenAPI (one text, so they read alike). */
export const AS_OF_READ_DESCRIPTION =
  'Without query parameters: the record now. With `asOf` (an ISO 8601 instant) or `position` (a global log position), never both: ' +
  'the record as it was then, folded by this service from its own stream up to that point (the same decision state it acted on), ' +
  'plus `asOf`/`position` echoed, `evaluatedAt` and `lastPosition` (the global position of the last event included). ' +
  '404 when the record did not exist yet at that point. A past read passes the same access check as a present read, ' +
  'on the record now and on the record then.';

/** The answer of a record's read, present or past: the record plus the as-of fields. */
export function readAsOf<S extends z.ZodRawShape>(record: z.ZodObject<S>) {
  return record.extend(AsOfFields.shape);
}
