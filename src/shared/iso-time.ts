/** UTC ISO-8601 with `Z`, milliseconds only when non-zero (the original API's format). */
export function iso(date: Date | null | undefined): string | null {
  if (!date) return null;
  const text = date.toISOString();
  return text.endsWith('.000Z') ? `${text.slice(0, -5)}Z` : text;
}
