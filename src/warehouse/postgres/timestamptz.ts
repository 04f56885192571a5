/**
 * Reading `timestamptz` columns into Dates. pg's parser (postgres-date) runs
 * several regular expressions per value; a range read decodes one instant per
 * row, and it was the largest single cost of reading summaries. The common
 * shape, which every instant Kairos writes takes when the session time zone is
 * UTC, is decoded here with the same arithmetic; anything else (another offset,
 * BC, years outside 100-9999, infinity) goes to pg's parser.
 */
import pg from 'pg';

/** pg_type OID of timestamptz. */
const TIMESTAMPTZ_OID = 1184;
const standard = pg.types.getTypeParser(TIMESTAMPTZ_OID, 'text') as (text: string) => Date | number | null;

/** `YYYY-MM-DD HH:MM:SS` then optional fractional seconds, then the UTC offset. */
const UTC_SUFFIX = '+00';
const SECONDS_END = 19;

/** Parses PostgreSQL's text output of a timestamptz exactly as pg's own parser does. */
export function parseTimestamptz(text: string): Date | number | null {
  const end = text.length - UTC_SUFFIX.length;
  const shaped =
    end >= SECONDS_END &&
    text.endsWith(UTC_SUFFIX) &&
    text[4] === '-' &&
    text[10] === ' ' &&
    (end === SECONDS_END || text[SECONDS_END] === '.');
  const year = shaped ? Number(text.slice(0, 4)) : Number.NaN;
  // Date.UTC reads years 0-99 as 1900-1999; pg's parser corrects that, so leave those to it.
  if (!(year >= 100)) return standard(text);
  // pg's parser: milliseconds = 1000 * the fraction, truncated to an integer by Date.UTC.
  const ms = end > SECONDS_END ? 1000 * Number.parseFloat(text.slice(SECONDS_END, end)) : 0;
  return new Date(
    Date.UTC(year, Number(text.slice(5, 7)) - 1, Number(text.slice(8, 10)), Number(text.slice(11, 13)), Number(text.slice(14, 16)), Number(text.slice(17, 19)), ms),
  );
}

/** Type parsers for a pool: pg's, except the fast timestamptz one. */
export const warehouseTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === TIMESTAMPTZ_OID && format !== 'binary' ? parseTimestamptz : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};
