import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The tzdata abbreviation of a zone at an instant ("CET", "EDT", "+08"), as
 * Python's `%Z` prints it for a pytz zone. Intl does not expose tzdata
 * abbreviations, so they are read from the system's TZif files (the same data
 * pytz uses), once per zone; without those files Intl's short name is used.
 */
export function zoneAbbreviation(zoneName: string, epochMs: number, offsetMs: number): string {
  if (zoneName === 'UTC' || zoneName === 'Etc/UTC') return 'UTC';
  let table = tables.get(zoneName);
  if (table === undefined) {
    table = loadTable(zoneName);
    tables.set(zoneName, table);
  }
  return table ? table.abbreviationAt(epochMs / 1000, offsetMs) : intlShortName(zoneName, epochMs);
}

const ZONEINFO_DIR = '/usr/share/zoneinfo';
const tables = new Map<string, TzifTable | null>();

interface FooterRule {
  readonly stdName: string;
  readonly stdOffsetMs: number;
  readonly dstName: string | null;
}

class TzifTable {
  constructor(
    private readonly transitions: readonly number[],
    private readonly typeOfTransition: readonly number[],
    private readonly typeAbbreviations: readonly string[],
    private readonly footer: FooterRule | null,
  ) {}

  abbreviationAt(epochSeconds: number, offsetMs: number): string {
    const last = this.transitions.length - 1;
    if (this.footer && (last < 0 || epochSeconds >= (this.transitions[last] ?? 0))) {
      const { stdName, stdOffsetMs, dstName } = this.footer;
      return dstName !== null && offsetMs !== stdOffsetMs ? dstName : stdName;
    }
    let lo = 0;
    let hi = last;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((this.transitions[mid] ?? 0) <= epochSeconds) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    const type = found < 0 ? 0 : (this.typeOfTransition[found] ?? 0);
    return this.typeAbbreviations[type] ?? '';
  }
}

function loadTable(zoneName: string): TzifTable | null {
  if (!/^[A-Za-z0-9_+-]+(?:\/[A-Za-z0-9_+-]+)*$/.test(zoneName)) return null;
  try {
    return parseTzif(readFileSync(join(ZONEINFO_DIR, zoneName)));
  } catch {
    return null;
  }
}

/** Parses the 64-bit (version 2+) block of a TZif file (RFC 8536). */
function parseTzif(buf: Buffer): TzifTable | null {
  if (buf.toString('latin1', 0, 4) !== 'TZif' || buf[4] === 0) return null;
  const counts = (at: number) => ({
    isut: buf.readUInt32BE(at + 20),
    isstd: buf.readUInt32BE(at + 24),
    leap: buf.readUInt32BE(at + 28),
    time: buf.readUInt32BE(at + 32),
    type: buf.readUInt32BE(at + 36),
    char: buf.readUInt32BE(at + 40),
  });
  const v1 = counts(0);
  const v1Size = v1.time * 5 + v1.type * 6 + v1.char + v1.leap * 8 + v1.isstd + v1.isut;
  const header = 44 + v1Size;
  const c = counts(header);
  let at = header + 44;
  const transitions: number[] = [];
  for (let i = 0; i < c.time; i++, at += 8) transitions.push(Number(buf.readBigInt64BE(at)));
  const typeOfTransition: number[] = [];
  for (let i = 0; i < c.time; i++, at += 1) typeOfTransition.push(buf[at] ?? 0);
  const abbreviationIndex: number[] = [];
  for (let i = 0; i < c.type; i++, at += 6) abbreviationIndex.push(buf[at + 5] ?? 0);
  const chars = buf.toString('latin1', at, at + c.char);
  at += c.char + c.leap * 12 + c.isstd + c.isut;
  const typeAbbreviations = abbreviationIndex.map((i) => chars.slice(i, chars.indexOf('\0', i)));
  const footerText = buf.toString('latin1', at).split('\n')[1] ?? '';
  return new TzifTable(transitions, typeOfTransition, typeAbbreviations, parseFooter(footerText));
}

/** The names and standard offset of a POSIX TZ string such as `CET-1CEST,M3.5.0,M10.5.0/3`. */
function parseFooter(tz: string): FooterRule | null {
  const m = /^(<[^>]+>|[A-Za-z]+)([+-]?\d{1,2})(?::(\d{2}))?(?::\d{2})?(<[^>]+>|[A-Za-z]+)?/.exec(tz);
  if (!m) return null;
  const unbracket = (name: string) => name.replace(/^<(.*)>$/, '$1');
  const hours = Number(m[2]);
  const minutes = Number(m[3] ?? 0) * Math.sign(hours || 1);
  // POSIX offsets count west of Greenwich: "CET-1" is UTC+1.
  const stdOffsetMs = -(hours * 60 + minutes) * 60_000;
  return { stdName: unbracket(m[1] ?? ''), stdOffsetMs, dstName: m[4] ? unbracket(m[4]) : null };
}

function intlShortName(zoneName: string, epochMs: number): string {
  const part = new Intl.DateTimeFormat('en-US', { timeZone: zoneName, timeZoneName: 'short' })
    .formatToParts(epochMs)
    .find((p) => p.type === 'timeZoneName');
  const name = part?.value ?? '';
  const gmt = /^GMT([+-])(\d{1,2})(?::(\d{2}))?$/.exec(name);
  return gmt ? `${gmt[1]}${(gmt[2] ?? '').padStart(2, '0')}${gmt[3] ?? ''}` : name;
}
