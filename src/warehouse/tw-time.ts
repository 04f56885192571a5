import { DateTime, IANAZone } from 'luxon';
import { WarehouseInputError } from './errors.js';

/** The original's display zone. */
export const DEFAULT_DISPLAY_TIME_ZONE = 'Asia/Taipei';

const HOUR_MS = 3_600_000;

/**
 * Returns the formatter of `tw_time`: the instant as wall time in `zone`,
 * `YYYY-MM-DD HH:mm:ss`. Fails at construction on an unknown zone name.
 *
 * Every stored row gets a `tw_time`, so this runs once per row of a refill
 * (millions). Luxon's `toFormat` asks `Intl` for the zone's offset and parses
 * the format on every call, which was a third of a refill's CPU time. The
 * offset is therefore looked up once per UTC hour (an hour whose first and last
 * millisecond have the same offset has no transition in it: no zone changes
 * twice within an hour) and the wall time is formatted from `toISOString`,
 * with the same arithmetic as luxon so the strings are identical.
 */
export function twTimeFormatter(zone: string = DEFAULT_DISPLAY_TIME_ZONE): (instant: Date) => string {
  if (!IANAZone.isValidZone(zone)) {
    throw new WarehouseInputError(`unknown display time zone "${zone}": use an IANA name such as Asia/Taipei`);
  }
  const tz = IANAZone.create(zone);
  const slow = (instant: Date): string => DateTime.fromJSDate(instant, { zone }).toFormat('yyyy-MM-dd HH:mm:ss');
  let cachedHour = NaN;
  // Minutes east of UTC throughout `cachedHour`, or null when the hour holds a transition.
  let cachedOffset: number | null = null;
  return (instant) => {
    const ms = instant.getTime();
    if (!Number.isFinite(ms)) return slow(instant);
    const hour = Math.floor(ms / HOUR_MS) * HOUR_MS;
    if (hour !== cachedHour) {
      const first = tz.offset(hour);
      cachedOffset = first === tz.offset(hour + HOUR_MS - 1) ? first : null;
      cachedHour = hour;
    }
    const offset = cachedOffset ?? tz.offset(ms);
    // `offset * 60 * 1000`, not `* 60_000`: luxon's expression, so fractional (LMT) offsets round alike.
    const iso = new Date(ms + offset * 60 * 1000).toISOString();
    // Years outside 0000-9999 are written with six digits and a sign by toISOString; luxon knows how it pads them.
    if (iso.length !== 24) return slow(instant);
    return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
  };
}
