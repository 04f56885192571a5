import { readFile } from 'node:fs/promises';
import { dirname, relative } from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import { parseDefinition } from '../scheduler/definition-input.js';
import type { JobTypeRegistry } from '../scheduler/job-type-registry.js';
import type { JobDefinition } from '../scheduler/types.js';
import { interpolateEnv } from './interpolate-env.js';
import { loadUserJobType } from './user-module.js';

export class JobsFileError extends Error {
  constructor(readonly file: string, readonly problems: readonly string[]) {
    super(`${file} is invalid:\n  - ${problems.join('\n  - ')}`);
    this.name = 'JobsFileError';
  }
}

/**
 * Reads and validates the whole jobs file; throws `JobsFileError` listing
 * every problem (YAML errors with line and column, schema errors naming job,
 * key and expectation, unknown job types with the known ones). User job
 * modules it names are loaded and registered into `registry`.
 */
export async function loadJobsFile(
  path: string,
  registry: JobTypeRegistry,
  validate: (def: JobDefinition) => void,
): Promise<JobDefinition[]> {
  const shown = relative(process.cwd(), path) || path;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new JobsFileError(shown, [`cannot read the file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message} (set KAIROS_JOBS_FILE to its path)`]);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number | undefined): string => {
    if (offset === undefined) return shown;
    const { line, col } = lineCounter.linePos(offset);
    return `${shown}:${line}:${col}`;
  };
  if (doc.errors.length) throw new JobsFileError(shown, doc.errors.map((e) => `${at(e.pos[0])}: ${e.message.split('\n')[0]}`));

  const jobsNode = isMap(doc.contents) ? doc.contents.get('jobs', true) : undefined;
  if (!isSeq(jobsNode)) throw new JobsFileError(shown, [`${at(doc.contents?.range?.[0])}: expected a top-level 'jobs:' list`]);
  const missingEnv = new Set<string>();
  const entries = interpolateEnv(doc.toJS({ maxAliasCount: 100 }).jobs, process.env, missingEnv) as unknown[];

  const problems: string[] = [...missingEnv].map((name) => `${shown}: \${${name}} is used but the environment variable ${name} is not set (or give a default: \${${name}:-value})`);
  const definitions: JobDefinition[] = [];
  const seen = new Set<string>();
  for (const [index, entry] of entries.entries()) {
    const where = at((jobsNode.items[index] as { range?: [number] } | undefined)?.range?.[0]);
    const label = typeof (entry as { id?: unknown })?.id === 'string' ? `job '${(entry as { id: string }).id}'` : `job #${index + 1}`;
    const id = (entry as { id?: unknown })?.id;
    if (typeof id === 'string') {
      if (seen.has(id)) {
        problems.push(`${where}: ${label}: id: duplicate job id`);
        continue;
      }
      seen.add(id);
    }
    const parsed = parseDefinition(entry, 'yaml');
    if (!parsed.ok) {
      for (const issue of parsed.issues) problems.push(`${where}: ${label}: ${issue.key ? `${issue.key}: ` : ''}${issue.message}`);
      continue;
    }
    const def = parsed.definition;
    const typeProblem = await ensureJobType(def.func, registry, dirname(path));
    if (typeProblem) {
      problems.push(`${where}: ${label}: func: ${typeProblem}`);
      continue;
    }
    try {
      validate(def);
      definitions.push(def);
    } catch (error) {
      const details = (error as { details?: { field: string; message: string }[] }).details;
      if (details?.length) for (const d of details) problems.push(`${where}: ${label}: ${d.field}: ${d.message}`);
      else problems.push(`${where}: ${label}: ${(error as Error).message}`);
    }
  }
  for (const def of definitions) {
    for (const parent of def.options.dependsOn) {
      if (!seen.has(parent)) problems.push(`${shown}: job '${def.id}': depends_on: no job '${parent}' in this file`);
    }
  }
  if (problems.length) throw new JobsFileError(shown, problems);
  return definitions;
}

async function ensureJobType(func: string, registry: JobTypeRegistry, baseDir: string): Promise<string | null> {
  if (registry.has(func)) return null;
  if (func.startsWith('.') || func.startsWith('/')) {
    try {
      registry.register(await loadUserJobType(func, baseDir), func);
      return null;
    } catch (error) {
      return (error as Error).message;
    }
  }
  return `unknown job type '${func}'; known types: ${registry.names().join(', ')}`;
}
