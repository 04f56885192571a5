import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { escapeCodeFences, maxLineLength, splitLongLine, toPostLines } from '../../src/notify/post-format.js';

describe('escapeCodeFences', () => {
  test.each(['```', '````', '`````', 'a```b```c', '``````'])('leaves no triple backtick in %j', (text) => {
    const escaped = escapeCodeFences(text);
    expect(escaped).not.toContain('```');
    expect(escaped.replaceAll('\u200b', '')).toBe(text);
  });

  test('keeps single and double backticks as written', () => {
    expect(escapeCodeFences('`a` ``b``')).toBe('`a` ``b``');
  });
});

describe('splitLongLine', () => {
  test('cuts at the limit and loses nothing', () => {
    expect(splitLongLine('abcdefg', 3)).toEqual(['abc', 'def', 'g']);
  });

  test('never separates the halves of a surrogate pair', () => {
    const pieces = splitLongLine('ab😀cd', 3);
    expect(pieces).toEqual(['ab', '😀c', 'd']);
  });

  test('any line: pieces fit and rejoin to the line', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.integer({ min: 2, max: 50 }), (line, max) => {
        const pieces = splitLongLine(line, max);
        expect(pieces.join('')).toBe(line);
        for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(max);
      }),
    );
  });
});

describe('toPostLines', () => {
  test('splits on newlines, escapes, and makes every line fit a fenced post', () => {
    const lines = toPostLines(`one\r\n${'x'.repeat(4000)}\n\`\`\``, true);
    expect(lines[0]).toBe('one');
    expect(lines.slice(1, 4).map((l) => l.length)).toEqual([maxLineLength(true), maxLineLength(true), 4000 - 2 * maxLineLength(true)]);
    expect(lines.at(-1)).toBe('`\u200b`\u200b`');
  });

  test('blank text gives no lines', () => {
    expect(toPostLines(' \n ', false)).toEqual([]);
  });
});
