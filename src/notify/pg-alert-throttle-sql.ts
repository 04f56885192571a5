/** The SQL of `PgAlertThrottleStore`, one function per operation; `schema` is a validated, quoted identifier. */

export function createAlertThrottleTableSql(schema: string): string {
  return `
    CREATE SCHEMA IF NOT EXISTS ${schema};
    CREATE TABLE IF NOT EXISTS ${schema}.alert_throttle (
      key          text PRIMARY KEY,
      message_hash text,
      last_sent    timestamptz NOT NULL
    )`;
}

/**
 * One statement, so the check and the record cannot be separated: a concurrent
 * claimer of the same key waits on the row lock, then re-evaluates the WHERE
 * against the row the winner wrote, and gets no row back.
 * Parameters: $1 key, $2 message hash or null, $3 now, $4 cooldown in seconds.
 */
export function claimAlertSql(schema: string): string {
  return `
    INSERT INTO ${schema}.alert_throttle AS t (key, message_hash, last_sent)
    VALUES ($1, $2::text, $3)
    ON CONFLICT (key) DO UPDATE
      SET message_hash = EXCLUDED.message_hash, last_sent = EXCLUDED.last_sent
      WHERE t.last_sent <= EXCLUDED.last_sent - make_interval(secs => $4)
         OR ($2::text IS NOT NULL AND t.message_hash IS DISTINCT FROM $2::text)
    RETURNING key`;
}
