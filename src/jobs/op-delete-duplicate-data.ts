/**
 * OP_delete_duplicate_data: within a time range, keep the newest document of
 * each group (ties broken by sort_tiebreak, then the natural key) and delete
 * the rest in batches. Safe to re-run: a second run finds nothing to delete.
 */
import { z } from 'zod';
import { defineJobType, type JobType } from '../scheduler/job-type.js';
import { requireRunArguments } from '../warehouse/run-arguments.js';
import type { Warehouse } from '../warehouse/warehouse.js';

const NAME = 'OP_delete_duplicate_data';
const instant = z.iso.datetime({ offset: true }).nullable().optional().describe('ISO-8601 instant with Z or an offset');
const scalar = z.union([z.string(), z.number(), z.boolean()]);

export const deleteDuplicateDataKwargs = z.object({
  db_name: z.string().nullable().default(null).describe('DATA or MART (or C_*/T_* of the pair IS_TEST selects)'),
  coll_name: z.string().nullable().default(null),
  time_field: z.string().default('current_time'),
  group_fields: z.array(z.string()).min(1).nullable().default(null),
  time_start: instant,
  time_end: instant,
  extra_match: z.record(z.string(), scalar).nullable().optional().describe('equality on fields'),
  sort_tiebreak: z.record(z.string(), z.union([z.literal(1), z.literal(-1)])).nullable().optional(),
  batch_delete_size: z.number().int().positive().default(1000),
  dry_run: z.boolean().default(false),
});

export function createOpDeleteDuplicateDataJob(deps: { readonly warehouse: Warehouse }): JobType {
  return defineJobType({
    name: NAME,
    description: 'Deletes duplicate documents, keeping the newest per group within a time range.',
    kwargs: deleteDuplicateDataKwargs,
    async run(ctx, kwargs) {
      requireRunArguments(NAME, kwargs, ['db_name', 'coll_name', 'group_fields']);
      const report = await deps.warehouse.deleteDuplicates({
        dbName: kwargs.db_name as string,
        collName: kwargs.coll_name as string,
        timeField: kwargs.time_field,
        groupFields: kwargs.group_fields as string[],
        timeStart: kwargs.time_start ? new Date(kwargs.time_start) : undefined,
        timeEnd: kwargs.time_end ? new Date(kwargs.time_end) : undefined,
        extraMatch: kwargs.extra_match ?? undefined,
        sortTiebreak: kwargs.sort_tiebreak ?? undefined,
        batchDeleteSize: kwargs.batch_delete_size,
        dryRun: kwargs.dry_run,
      });
      ctx.logger.info({ ...report }, 'duplicate cleanup finished');
      const verb = report.dryRun ? 'would delete' : 'deleted';
      return {
        message: `${kwargs.db_name}.${kwargs.coll_name}: ${report.duplicates} duplicates in ${report.groups} groups of ${report.scanned} documents, ${verb} ${report.dryRun ? report.duplicates : report.deleted}`,
        data: { ...report },
      };
    },
  });
}
