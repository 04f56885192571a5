/**
 * A batch's column as one PostgreSQL array parameter in binary form (the
 * format of `array_send` / `array_recv`), for inserts that bind one array per
 * column and `unnest` them. node-postgres sends a Buffer parameter as binary.
 *
 * Why binary: a text array literal (pg's own formatting or a hand-made one)
 * turns every number into its shortest decimal and every instant into text,
 * which the server then parses back; in a refill's millions of rows that was
 * most of the write path's CPU on both sides. In binary a number is its 8
 * bytes, an instant one 64-bit integer, a string its UTF-8 bytes unescaped.
 */
import type { FieldType } from '../catalog.js';

/** The array type each field type is bound as; the element OIDs below must match it. */
export const ARRAY_TYPES: Readonly<Record<FieldType, string>> = {
  text: 'text[]',
  number: 'float8[]',
  time: 'timestamptz[]',
  json: 'jsonb[]',
};

/** pg_type OIDs of the elements: `array_recv` refuses an array whose element type differs from the cast's. */
const ELEMENT_OIDS: Readonly<Record<FieldType, number>> = { text: 25, number: 701, time: 1184, json: 3802 };

/** timestamptz counts microseconds from 2000-01-01 UTC. */
const PG_EPOCH_MS = Date.UTC(2000, 0, 1);
const TWO_32 = 2 ** 32;
/** One dimension: ndim, has-nulls flag, element type, then the dimension's length and lower bound. */
const HEADER_BYTES = 20;
/** jsonb's binary input is a version byte, then the JSON text. */
const JSONB_VERSION = 1;

function numberOf(value: unknown): number {
  if (typeof value !== 'number') throw new TypeError(`a number field holds ${typeof value}`);
  // `+ 0` turns -0 into 0, as the text form ("0") always did: rows read back the same as before.
  return value + 0;
}

function microsecondsOf(value: unknown): number {
  const ms = value instanceof Date ? value.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) throw new RangeError(`a time field holds ${String(value)}, not a valid Date`);
  // Exact: |ms - epoch| * 1000 stays far below 2^53 for any Date.
  return (ms - PG_EPOCH_MS) * 1000;
}

/** Encodes `values` (null or undefined for SQL NULL) as a binary one-dimensional array of `type`. */
export function binaryArray(type: FieldType, values: readonly unknown[]): Buffer {
  const texts =
    type === 'text' ? values.map((v) => (v == null ? null : String(v))) : type === 'json' ? values.map((v) => (v == null ? null : JSON.stringify(v))) : null;
  const prefix = type === 'json' ? 1 : 0;
  let size = HEADER_BYTES;
  let hasNull = 0;
  for (let i = 0; i < values.length; i += 1) {
    if (values[i] == null) hasNull = 1;
    size += 4 + (values[i] == null ? 0 : texts ? prefix + Buffer.byteLength(texts[i] as string) : 8);
  }
  const buf = Buffer.allocUnsafe(size);
  buf.writeInt32BE(1, 0);
  buf.writeInt32BE(hasNull, 4);
  buf.writeInt32BE(ELEMENT_OIDS[type], 8);
  buf.writeInt32BE(values.length, 12);
  buf.writeInt32BE(1, 16);
  let at = HEADER_BYTES;
  for (let i = 0; i < values.length; i += 1) {
    const value = values[i];
    if (value == null) {
      at = buf.writeInt32BE(-1, at);
    } else if (texts) {
      const text = texts[i] as string;
      const start = at + 4 + prefix;
      const length = buf.write(text, start, 'utf8');
      buf.writeInt32BE(prefix + length, at);
      if (prefix) buf[at + 4] = JSONB_VERSION;
      at = start + length;
    } else if (type === 'number') {
      at = buf.writeDoubleBE(numberOf(value), buf.writeInt32BE(8, at));
    } else {
      const us = microsecondsOf(value);
      const high = Math.floor(us / TWO_32);
      at = buf.writeUInt32BE(us - high * TWO_32, buf.writeInt32BE(high, buf.writeInt32BE(8, at)));
    }
  }
  return buf;
}
