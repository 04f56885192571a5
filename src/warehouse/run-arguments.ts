import { WarehouseInputError } from './errors.js';

/**
 * OP jobs are defined in jobs.yaml with `null` placeholders (the original's
 * style: a far-future date trigger, run by a manual trigger with overrides),
 * so their kwargs schemas accept null for arguments a run needs. The check
 * that those arguments are set therefore belongs to the run, before anything
 * is read or written: this throws one error naming every one still missing.
 */
export function requireRunArguments<K extends string>(
  job: string,
  kwargs: Readonly<Record<K, unknown>>,
  names: readonly K[],
): void {
  const missing = names.filter((name) => kwargs[name] === null || kwargs[name] === undefined);
  if (missing.length > 0) {
    throw new WarehouseInputError(
      `${job}: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} still null: trigger the job with overrides.kwargs setting ${missing.length === 1 ? 'it' : 'them'}`,
    );
  }
}
