import type { PerformanceRow } from '../domain/performance-row.js';
import { chainStep, increasingTimes } from './chain.js';
import type { Group } from './groups.js';
import type { ChainSeed } from './types.js';

/** One portfolio's V and A at one time. */
export interface Flow {
  readonly value: number;
  readonly adjustment: number;
}

/** All portfolios' summaries at one snapshot time, by portfolio name. */
export interface Snapshot {
  readonly t: Date;
  readonly members: ReadonlyMap<string, Flow>;
}

/**
 * What to do at t when a member expected at t has no summary at t.
 * - `skip`: no row for the group at t, so a late or failed snapshot never shows
 *   as a fake drawdown; the next complete time measures from the last row.
 * - `partial`: a row of the members present; the missing member is treated as
 *   withdrawn for this step (and re-enters as a deposit), so it moves V but not
 *   the return.
 */
export type IncompleteRule = 'skip' | 'partial';

/** A group's chain state: its last row, and its members' summaries at that row's time. */
export interface GroupSeed {
  readonly row: ChainSeed;
  readonly members: ReadonlyMap<string, Flow>;
}

export interface GroupState extends GroupSeed {
  readonly row: PerformanceRow;
}

/**
 * The group's (V, A) at t, or null when incomplete under `skip`.
 *
 * `previous` holds the members' summaries at the group's previous row (null for
 * its first row). A member is expected at t when it reported at the previous row
 * and is active now. Membership changes are neutral for the return:
 * - a member reporting at t but not at the previous row joins: its V counts and
 *   its whole V is booked as a deposit (A -= V); its own A belongs to a period
 *   outside the group and is ignored;
 * - a member that reported at the previous row but not at t, and is inactive now
 *   (or missing under `partial`), leaves: it adds nothing to V and its previous V
 *   is booked as a withdrawal (A += V_prev), i.e. a 0 return for its share.
 * @param incomplete @default 'skip'
 */
export function aggregateGroup(
  group: Group,
  current: ReadonlyMap<string, Flow>,
  previous: ReadonlyMap<string, Flow> | null,
  incomplete: IncompleteRule = 'skip',
): Flow | null {
  let value = 0;
  let adjustment = 0;
  for (const member of group.members) {
    const now = current.get(member);
    const before = previous?.get(member);
    if (now !== undefined) {
      value += now.value;
      adjustment += previous === null || before !== undefined ? now.adjustment : -now.value;
    } else if (before !== undefined) {
      if (incomplete === 'skip' && group.active.has(member)) return null;
      adjustment += before.value;
    }
  }
  return { value, adjustment };
}

/**
 * One step of a group's chain: aggregate at `snapshot.t`, then the SPEC 13 step.
 * Undefined when no row results (already processed, incomplete under `skip`, or
 * V and A both 0); the state then stays on the previous row.
 */
export function groupStep(
  group: Group,
  prev: GroupSeed | null,
  snapshot: Snapshot,
  incomplete: IncompleteRule = 'skip',
): GroupState | undefined {
  if (prev !== null && snapshot.t.getTime() <= prev.row.currentTime.getTime()) return undefined;
  const flow = aggregateGroup(group, snapshot.members, prev?.members ?? null, incomplete);
  if (flow === null) return undefined;
  const row = chainStep(group.key, prev?.row ?? null, { t: snapshot.t, ...flow });
  return row === undefined ? undefined : { row, members: snapshot.members };
}

/**
 * Streams a group's rows over snapshots in strictly increasing time order,
 * continuing from `seed` (its last stored row and the member summaries at that
 * row's time). Holds one snapshot at a time.
 * @param incomplete @default 'skip'
 */
export function* groupChain(
  group: Group,
  seed: GroupSeed | null,
  snapshots: Iterable<Snapshot>,
  incomplete: IncompleteRule = 'skip',
): Generator<PerformanceRow> {
  let state = seed;
  const order = increasingTimes(group.key);
  for (const snapshot of snapshots) {
    order(snapshot.t);
    const next = groupStep(group, state, snapshot, incomplete);
    if (next !== undefined) {
      state = next;
      yield next.row;
    }
  }
}
