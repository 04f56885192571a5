import Ajv2020, { type ErrorObject } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { JsonSchema } from './types.js';

/** How one kwarg is edited: a native control where the schema allows one, JSON text otherwise. */
export type Widget =
  | { readonly kind: 'enum'; readonly options: readonly string[] }
  | { readonly kind: 'number'; readonly integer: boolean }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'string' }
  | { readonly kind: 'json' };

const typesOf = (schema: JsonSchema): string[] => (schema.type === undefined ? [] : Array.isArray(schema.type) ? [...schema.type] : [schema.type as string]);

/** `null` alongside one other type (`["string","null"]`, `anyOf: [X, {type: null}]`) edits as X: leaving a field empty keeps the job's value. */
function withoutNull(schema: JsonSchema): JsonSchema {
  const types = typesOf(schema).filter((t) => t !== 'null');
  if (types.length === 1) return { ...schema, type: types[0]! };
  const branches = schema.anyOf?.filter((s) => !(typesOf(s).length === 1 && typesOf(s)[0] === 'null'));
  if (branches?.length === 1) return { ...branches[0]!, description: schema.description ?? branches[0]!.description };
  return schema;
}

export function widgetFor(raw: JsonSchema): Widget {
  const schema = withoutNull(raw);
  if (schema.enum && schema.enum.every((v) => typeof v === 'string')) return { kind: 'enum', options: schema.enum as string[] };
  const [type, ...more] = typesOf(schema);
  if (more.length || schema.anyOf) return { kind: 'json' };
  if (type === 'integer' || type === 'number') return { kind: 'number', integer: type === 'integer' };
  if (type === 'boolean') return { kind: 'boolean' };
  if (type === 'string') return { kind: 'string' };
  return { kind: 'json' };
}

/** The value typed into a field: undefined when left empty (the job's own value stays), or an error message. */
export function parseField(widget: Widget, text: string): { value?: unknown; error?: string } {
  const trimmed = text.trim();
  if (trimmed === '') return {};
  switch (widget.kind) {
    case 'number': {
      const value = Number(trimmed);
      if (!Number.isFinite(value)) return { error: 'must be a number' };
      return { value };
    }
    case 'boolean':
      return { value: trimmed === 'true' };
    case 'json':
      try {
        return { value: JSON.parse(trimmed) as unknown };
      } catch {
        return { error: 'must be valid JSON' };
      }
    default:
      return { value: text };
  }
}

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);

/**
 * Validates the kwargs a run would get (the job's kwargs with the overrides on
 * top, as the server merges them) against the job type's schema. Returns one
 * message per top-level kwarg, keyed by its name ('' for the object itself).
 */
export function validateKwargs(schema: JsonSchema, kwargs: Record<string, unknown>): Map<string, string> {
  const validate = ajv.compile(schema);
  const problems = new Map<string, string>();
  if (validate(kwargs)) return problems;
  for (const error of (validate.errors ?? []) as ErrorObject[]) {
    // anyOf reports each branch and then itself; its own message is the vague one.
    if (error.keyword === 'anyOf' && problems.size) continue;
    const field = error.instancePath.split('/')[1] ?? (error.keyword === 'additionalProperties' ? String(error.params['additionalProperty']) : '');
    if (!problems.has(field)) problems.set(field, `${error.instancePath ? error.instancePath.slice(1).replaceAll('/', '.') + ' ' : ''}${error.message ?? 'is invalid'}`);
  }
  return problems;
}
