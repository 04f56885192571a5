import { SECOND_MS, wallFieldsToMs, wallMsToFields, type WallFields } from './civil-time.js';
import { coversEveryHour, expressionNextValue, expressionToString, type CronExpression } from './cron-expression.js';
import { CRON_FIELD_NAMES, FIELD_INDEX, REAL_FIELD, fieldMax, fieldMin, fieldValue, setRealField } from './cron-fields.js';
import type { Trigger } from './trigger.js';
import { resolveWall, type Zone } from './zone.js';

export interface CronField {
  readonly expressions: readonly CronExpression[];
  /** Not given by the user (APScheduler's `is_default`): left out of `describe()`. */
  readonly isDefault: boolean;
}

export interface CronTriggerOptions {
  /** One entry per CRON_FIELD_NAMES, in that order. */
  readonly fields: readonly CronField[];
  readonly zone: Zone;
  readonly startDate: number | null;
  readonly endDate: number | null;
  readonly jitterSeconds: number | null;
}

/** Wall times this far past the end date cannot map to an instant before it (offsets stay within +-15 h). */
const MAX_OFFSET_MS = 15 * 3_600_000;

/**
 * APScheduler 3.9's CronTrigger. The field-wise search runs on wall-clock time
 * exactly as APScheduler's does on naive datetimes; mapping wall times to
 * instants applies SPEC 4's DST policy instead of pytz's normalisation.
 */
export class CronTrigger implements Trigger {
  readonly kind = 'cron';
  readonly jitterSeconds: number | null;
  private readonly fields: readonly CronField[];
  private readonly zone: Zone;
  private readonly startDate: number | null;
  private readonly endDate: number | null;
  private readonly everyHour: boolean;
  private readonly wall: WallFields = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };

  constructor(options: CronTriggerOptions) {
    this.fields = options.fields;
    this.zone = options.zone;
    this.startDate = options.startDate;
    this.endDate = options.endDate;
    this.jitterSeconds = options.jitterSeconds;
    this.everyHour = coversEveryHour(options.fields[FIELD_INDEX.hour]?.expressions ?? []);
  }

  nextFireTime(previous: Date | null, now: Date): Date | null {
    let start: number;
    if (previous) {
      const prev = previous.getTime();
      start = Math.min(now.getTime(), prev + 1);
      if (start === prev) start += 1;
    } else {
      start = this.startDate === null ? now.getTime() : Math.max(now.getTime(), this.startDate);
    }
    const next = this.firstFireAtOrAfter(Math.ceil(start / SECOND_MS) * SECOND_MS);
    return next === null || (this.endDate !== null && next > this.endDate) ? null : new Date(next);
  }

  describe(): string {
    const parts: string[] = [];
    this.fields.forEach((field, i) => {
      if (!field.isDefault) parts.push(`${CRON_FIELD_NAMES[i]}='${field.expressions.map(expressionToString).join(',')}'`);
    });
    return `cron[${parts.join(', ')}]`;
  }

  /**
   * The earliest fire instant >= `earliest`. Wall times from the wall clock at
   * `earliest` on map to increasing instants, except near a DST transition:
   * a gap's wall times (read with the offset before it) land on instants also
   * reached by the wall times after the gap, and an overlap's second pass
   * revisits wall times below the current one. Those two cases get their own
   * bounded searches; the result is the smallest candidate.
   */
  private firstFireAtOrAfter(earliest: number): number | null {
    const zone = this.zone;
    const wallLimit = this.endDate === null ? Infinity : this.endDate + MAX_OFFSET_MS;
    let best: number | null = null;
    const consider = (instant: number) => {
      if (instant >= earliest && (best === null || instant < best)) best = instant;
    };

    for (const t of zone.transitionsNear(earliest)) {
      const shift = Math.abs(t.after - t.before);
      if (t.after > t.before && t.at <= earliest && earliest < t.at + shift) {
        // `earliest` lies where the gap's wall times, read with the earlier offset, land.
        const wall = this.nextMatchingWall(earliest + t.before, wallLimit);
        if (wall !== null && wall < t.at + t.after) consider(wall - t.before);
      } else if (t.after < t.before && this.everyHour && earliest < t.at + shift) {
        // The overlap's second pass (hour "*" fires in both passes) is still ahead.
        const wall = this.nextMatchingWall(Math.max(t.at + t.after, earliest + t.after), wallLimit);
        if (wall !== null && wall < t.at + t.before) consider(wall - t.after);
      }
    }

    let wall = this.nextMatchingWall(earliest + zone.offsetAt(earliest), wallLimit);
    while (wall !== null) {
      const r = resolveWall(zone, wall);
      if (r.kind === 'unique') {
        consider(r.instant);
        break;
      }
      if (r.kind === 'overlap') {
        // Before `earliest` in the first pass: the second pass fires only for hour "*"; otherwise the wall time has fired.
        if (r.first >= earliest || this.everyHour) {
          consider(r.first >= earliest ? r.first : r.second);
          break;
        }
        wall = this.nextMatchingWall(wall + SECOND_MS, wallLimit);
        continue;
      }
      // A gap wall time's instant lies past those of the first wall times after the gap.
      consider(r.instant);
      wall = this.nextMatchingWall(Math.max(wall + SECOND_MS, r.gapEndWall), wallLimit);
    }
    return best;
  }

  /** APScheduler's `get_next_fire_time` loop on wall-clock time: the first matching wall time >= `fromWall`. */
  private nextMatchingWall(fromWall: number, wallLimit: number): number | null {
    const w = wallMsToFields(fromWall, this.wall);
    let fieldNum = 0;
    while (fieldNum >= 0 && fieldNum < this.fields.length) {
      const field = this.fields[fieldNum] as CronField;
      const current = fieldValue(fieldNum, w);
      const next = this.fieldNextValue(field, fieldNum, w);
      if (next === null) {
        fieldNum = this.incrementField(w, fieldNum - 1);
      } else if (next > current) {
        if (REAL_FIELD[fieldNum]) {
          this.setField(w, fieldNum, next);
          fieldNum += 1;
        } else {
          fieldNum = this.incrementField(w, fieldNum);
        }
      } else {
        fieldNum += 1;
      }
      if (fieldNum >= 0 && wallFieldsToMs(w) > wallLimit) return null;
    }
    return fieldNum < 0 ? null : wallFieldsToMs(w);
  }

  private fieldNextValue(field: CronField, index: number, w: WallFields): number | null {
    let smallest: number | null = null;
    for (const expr of field.expressions) {
      const value = expressionNextValue(expr, index, w);
      if (value !== null && (smallest === null || value < smallest)) smallest = value;
    }
    return smallest;
  }

  /**
   * APScheduler's `_increment_field_value`: increments the given field (carrying
   * into more significant ones; derived fields carry into the day) and resets
   * the less significant real fields to their minimum. Returns the field number
   * actually incremented, -1 when the years are exhausted.
   */
  private incrementField(w: WallFields, fieldNum: number): number {
    let target = fieldNum;
    while (target >= 0) {
      if (!REAL_FIELD[target]) {
        target -= 1;
        continue;
      }
      const value = fieldValue(target, w);
      if (value === fieldMax(target, w)) {
        target -= 1;
        continue;
      }
      setRealField(target, w, value + 1);
      break;
    }
    if (target < 0) return -1;
    for (let i = target + 1; i < this.fields.length; i++) if (REAL_FIELD[i]) setRealField(i, w, fieldMin(i));
    return target;
  }

  /** APScheduler's `_set_field_value`: sets one real field and resets the less significant ones. */
  private setField(w: WallFields, fieldNum: number, value: number): void {
    setRealField(fieldNum, w, value);
    for (let i = fieldNum + 1; i < this.fields.length; i++) if (REAL_FIELD[i]) setRealField(i, w, fieldMin(i));
  }
}
