import { IANAZone } from 'luxon';
import { HOUR_MS, SECOND_MS } from './civil-time.js';

/**
 * A time zone as the trigger calculus needs it: the UTC offset in force at an
 * instant. IANA offsets come from Intl (through luxon) and are memoised per
 * 12-hour bucket, so the hot path of a next-fire search is a Map lookup.
 */
export interface Zone {
  readonly name: string;
  /** Offset (local minus UTC) in milliseconds at the instant `epochMs`. */
  offsetAt(epochMs: number): number;
  /** Offset changes in (epochMs - TRANSITION_REACH_MS, epochMs + TRANSITION_REACH_MS], oldest first. */
  transitionsNear(epochMs: number): readonly Transition[];
}

/** An offset change: `before` applies up to `at` (exclusive), `after` from it. */
export interface Transition {
  readonly at: number;
  readonly before: number;
  readonly after: number;
}

/** How a wall-clock time maps to instants in a zone. */
export type WallResolution =
  | { readonly kind: 'unique'; readonly instant: number }
  /**
   * The wall time does not exist; `instant` reads it with the offset in force
   * before the gap; `gapEndWall` is the first wall time after the gap.
   */
  | { readonly kind: 'gap'; readonly instant: number; readonly gapEndWall: number }
  /** The wall time happens twice; `first` is the earlier (daylight-time) pass. */
  | { readonly kind: 'overlap'; readonly first: number; readonly second: number };

const BUCKET_MS = 12 * HOUR_MS;
/** Farther than any DST shift (at most 2 h in tzdata) and closer than two transitions ever are. */
const TRANSITION_REACH_MS = 3 * HOUR_MS;
const MAX_CACHED_BUCKETS = 4096;

/** Offsets within one bucket: constant before `transitionAt`, then `after` (tzdata never has two transitions within 12 h). */
interface Bucket {
  readonly before: number;
  readonly transitionAt: number;
  readonly after: number;
}

const NO_TRANSITIONS: readonly Transition[] = [];

class IanaZone implements Zone {
  private readonly buckets = new Map<number, Bucket>();
  private readonly zone: IANAZone;

  constructor(readonly name: string) {
    this.zone = IANAZone.create(name);
  }

  offsetAt(epochMs: number): number {
    const bucket = this.bucket(Math.floor(epochMs / BUCKET_MS));
    return epochMs < bucket.transitionAt ? bucket.before : bucket.after;
  }

  transitionsNear(epochMs: number): readonly Transition[] {
    const from = epochMs - TRANSITION_REACH_MS;
    const to = epochMs + TRANSITION_REACH_MS;
    let found: Transition[] | null = null;
    for (let index = Math.floor(from / BUCKET_MS); index <= Math.floor(to / BUCKET_MS); index++) {
      const { before, transitionAt: at, after } = this.bucket(index);
      if (at > from && at <= to) (found ??= []).push({ at, before, after });
    }
    return found ?? NO_TRANSITIONS;
  }

  private bucket(index: number): Bucket {
    let bucket = this.buckets.get(index);
    if (!bucket) {
      bucket = this.computeBucket(index * BUCKET_MS);
      if (this.buckets.size >= MAX_CACHED_BUCKETS) this.buckets.clear();
      this.buckets.set(index, bucket);
    }
    return bucket;
  }

  private rawOffset(epochMs: number): number {
    return Math.round(this.zone.offset(epochMs) * 60_000);
  }

  private computeBucket(start: number): Bucket {
    // Neighbouring buckets share an edge: reuse its offset instead of asking Intl again.
    const previous = this.buckets.get(start / BUCKET_MS - 1);
    const next = this.buckets.get(start / BUCKET_MS + 1);
    const before = previous ? previous.after : this.rawOffset(start);
    const after = next ? next.before : this.rawOffset(start + BUCKET_MS);
    if (before === after) return { before, transitionAt: Infinity, after };
    // Transitions happen on whole seconds: bisect down to the first second with the new offset.
    let lo = start / 1000;
    let hi = (start + BUCKET_MS) / 1000;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (this.rawOffset(mid * 1000) === before) lo = mid;
      else hi = mid;
    }
    return { before, transitionAt: hi * 1000, after };
  }
}

class FixedZone implements Zone {
  constructor(
    readonly name: string,
    private readonly offsetMs: number,
  ) {}

  offsetAt(): number {
    return this.offsetMs;
  }

  transitionsNear(): readonly Transition[] {
    return NO_TRANSITIONS;
  }
}

export const UTC_ZONE: Zone = new FixedZone('UTC', 0);

const zones = new Map<string, Zone>();

/** The zone named by an IANA identifier, or null when Intl does not know it. */
export function findZone(name: string): Zone | null {
  const cached = zones.get(name);
  if (cached) return cached;
  if (!IANAZone.isValidZone(name)) return null;
  const canonical = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  const zone = canonical === 'UTC' || canonical === 'Etc/UTC' ? new FixedZone(name, 0) : new IanaZone(name);
  zones.set(name, zone);
  return zone;
}

/** Maps a wall time (as UTC-epoch milliseconds of its fields) to the instant(s) it denotes. */
export function resolveWall(zone: Zone, wallMs: number): WallResolution {
  const guess = wallMs - zone.offsetAt(wallMs);
  const earlyOffset = zone.offsetAt(guess - TRANSITION_REACH_MS);
  const lateOffset = zone.offsetAt(guess + TRANSITION_REACH_MS);
  if (earlyOffset === lateOffset) return { kind: 'unique', instant: wallMs - earlyOffset };
  const early = wallMs - earlyOffset;
  const late = wallMs - lateOffset;
  const earlyValid = zone.offsetAt(early) === earlyOffset;
  const lateValid = zone.offsetAt(late) === lateOffset;
  if (earlyValid && lateValid) {
    return { kind: 'overlap', first: Math.min(early, late), second: Math.max(early, late) };
  }
  if (earlyValid) return { kind: 'unique', instant: early };
  if (lateValid) return { kind: 'unique', instant: late };
  const transition = zone.transitionsNear(early).find((t) => t.after > t.before && t.at <= early);
  return { kind: 'gap', instant: early, gapEndWall: transition ? transition.at + transition.after : wallMs + SECOND_MS };
}

/**
 * Reads a local date-time the way APScheduler 3.9 (pytz `localize`, is_dst=False)
 * does outside gaps: an ambiguous time is its second occurrence; a missing one
 * takes the offset in force before the gap (SPEC 4).
 */
export function localToInstant(zone: Zone, wallMs: number): number {
  const r = resolveWall(zone, wallMs);
  return r.kind === 'overlap' ? r.second : r.instant;
}
