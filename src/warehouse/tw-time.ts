import { DateTime, IANAZone } from 'luxon';
import { WarehouseInputError } from './errors.js';

/** The original's display zone. */
export const DEFAULT_DISPLAY_TIME_ZONE = 'Asia/Taipei';

/**
 * Returns the formatter of `tw_time`: the instant as wall time in `zone`,
 * `YYYY-MM-DD HH:mm:ss`. Fails at construction on an unknown zone name.
 */
export function twTimeFormatter(zone: string = DEFAULT_DISPLAY_TIME_ZONE): (instant: Date) => string {
  if (!IANAZone.isValidZone(zone)) {
    throw new WarehouseInputError(`unknown display time zone "${zone}": use an IANA name such as Asia/Taipei`);
  }
  return (instant) => DateTime.fromJSDate(instant, { zone }).toFormat('yyyy-MM-dd HH:mm:ss');
}
