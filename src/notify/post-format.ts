/**
 * Pure rules that turn text into Discord posts: Discord's 2,000-character
 * limit, at most 50 lines per post, an optional code fence that must never be
 * broken by the text inside it.
 */

export const DISCORD_CONTENT_LIMIT = 2000;
export const MAX_LINES_PER_POST = 50;

const FENCE = '```';
const ZERO_WIDTH_SPACE = '\u200b';

/** Characters the fence adds around the lines: "```\n" and "\n```". */
export function fenceOverhead(codeBlock: boolean): number {
  return codeBlock ? 2 * FENCE.length + 2 : 0;
}

/** Longest line that fits a post alone. */
export function maxLineLength(codeBlock: boolean): number {
  return DISCORD_CONTENT_LIMIT - fenceOverhead(codeBlock);
}

/**
 * Breaks every run of three or more backticks with zero-width spaces, so text
 * can neither close our fence nor open one of its own. Runs are handled whole:
 * escaping "```" piecewise would leave "`````" with a fresh triple.
 */
export function escapeCodeFences(text: string): string {
  return text.replace(/`{3,}/g, (run) => run.split('').join(ZERO_WIDTH_SPACE));
}

/** Cuts `line` into pieces of at most `max` UTF-16 units, never between the halves of a surrogate pair. */
export function splitLongLine(line: string, max: number): string[] {
  if (line.length <= max) return [line];
  const pieces: string[] = [];
  let start = 0;
  while (start < line.length) {
    let end = Math.min(start + max, line.length);
    if (end < line.length && isHighSurrogate(line.charCodeAt(end - 1))) end -= 1;
    pieces.push(line.slice(start, end));
    start = end;
  }
  return pieces;
}

/** Text as post lines: escaped, one entry per line, each short enough to fit a post. Blank text gives none. */
export function toPostLines(text: string, codeBlock: boolean): string[] {
  if (text.trim() === '') return [];
  const max = maxLineLength(codeBlock);
  return text.split(/\r?\n/).flatMap((line) => splitLongLine(escapeCodeFences(line), max));
}

/** Whether a post of `lineCount` (>= 1) lines joined into `contentLength` characters can take one more line. */
export function fitsOnePost(lineCount: number, contentLength: number, nextLength: number, codeBlock: boolean): boolean {
  const joined = contentLength + 1 + nextLength; // +1: the newline between lines
  return lineCount < MAX_LINES_PER_POST && joined + fenceOverhead(codeBlock) <= DISCORD_CONTENT_LIMIT;
}

export function renderPost(lines: readonly string[], codeBlock: boolean): string {
  const body = lines.join('\n');
  return codeBlock ? `${FENCE}\n${body}\n${FENCE}` : body;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
