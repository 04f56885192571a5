/**
 * OP_insert_data: bulk insert, update or merge documents into a warehouse
 * collection. The stored definition may hold `mode: null` placeholders; the
 * mode's own arguments are checked by the schema as soon as a mode is given
 * (at trigger time, with overrides), and again at run time, where a mode still
 * null fails clearly. Documents are checked against the collection's fields
 * before anything is written.
 */
import { z } from 'zod';
import { defineJobType, type JobType } from '../scheduler/job-type.js';
import { WarehouseInputError } from '../warehouse/errors.js';
import { requireRunArguments } from '../warehouse/run-arguments.js';
import type { Warehouse } from '../warehouse/warehouse.js';

const NAME = 'OP_insert_data';
const documents = z.array(z.record(z.string(), z.unknown())).min(1);
const updateOp = z
  .object({
    filter: z.record(z.string(), z.unknown()),
    update: z.object({ $set: z.record(z.string(), z.unknown()) }).strict(),
    upsert: z.boolean().optional(),
  })
  .strict();

/** What a run needs, per mode. */
const byMode = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('insert'), documents }),
  z.object({ mode: z.literal('update'), update_ops: z.array(updateOp).min(1) }),
  z.object({
    mode: z.literal('merge'),
    documents,
    key_fields: z.array(z.string()).min(1).nullable().optional(),
    merge_strategy: z.enum(['set', 'replace']),
    merge_upsert: z.boolean(),
  }),
]);

export const insertDataKwargs = z
  .object({
    mode: z.enum(['insert', 'update', 'merge']).nullable().default(null),
    db_name: z.string().nullable().default(null),
    coll_name: z.string().nullable().default(null),
    documents: documents.nullable().optional(),
    update_ops: z.array(updateOp).min(1).nullable().optional(),
    key_fields: z.array(z.string()).min(1).nullable().optional().describe('merge: fields matching documents; default the natural key'),
    merge_strategy: z.enum(['set', 'replace']).default('set'),
    merge_upsert: z.boolean().default(false),
  })
  .superRefine((kwargs, ctx) => {
    if (kwargs.mode === null) return;
    const parsed = byMode.safeParse(kwargs);
    for (const issue of parsed.error?.issues ?? []) {
      ctx.addIssue({ code: 'custom', path: issue.path, message: `${kwargs.mode} mode: ${issue.message}` });
    }
  });

export function createOpInsertDataJob(deps: { readonly warehouse: Warehouse }): JobType {
  return defineJobType({
    name: NAME,
    description: 'Inserts, updates or merges documents into a warehouse collection in bulk.',
    kwargs: insertDataKwargs,
    async run(ctx, kwargs) {
      requireRunArguments(NAME, kwargs, ['mode', 'db_name', 'coll_name']);
      const parsed = byMode.safeParse(kwargs);
      if (!parsed.success) {
        const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'kwargs'}: ${i.message}`).join('; ');
        throw new WarehouseInputError(`${NAME}: invalid ${kwargs.mode} arguments: ${detail}`);
      }
      const args = parsed.data;
      const db = kwargs.db_name as string;
      const coll = kwargs.coll_name as string;
      let counts: Record<string, number>;
      switch (args.mode) {
        case 'insert':
          counts = await deps.warehouse.insertDocuments(db, coll, args.documents);
          break;
        case 'update':
          counts = { ...(await deps.warehouse.updateDocuments(db, coll, args.update_ops)) };
          break;
        case 'merge':
          counts = {
            ...(await deps.warehouse.mergeDocuments(db, coll, args.documents, {
              keyFields: args.key_fields ?? undefined,
              strategy: args.merge_strategy,
              upsert: args.merge_upsert,
            })),
          };
          break;
      }
      ctx.logger.info({ mode: args.mode, ...counts }, 'insert data finished');
      const summary = Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(', ');
      return { message: `${args.mode} into ${db}.${coll}: ${summary}`, data: { mode: args.mode, ...counts } };
    },
  });
}
