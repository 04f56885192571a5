import type { ComponentChildren } from 'preact';
import { ApiError } from '../api.js';

/** Run statuses and job events share one palette; the word is always shown, colour only reinforces it. */
const TONE: Record<string, string> = {
  success: 'ok',
  running: 'info',
  pending: 'info',
  submitted: 'info',
  queued: 'info',
  error: 'bad',
  timeout: 'bad',
  abandoned: 'bad',
  missed: 'warn',
  skipped: 'warn',
  coalesced: 'muted',
  cancelled: 'muted',
  paused: 'warn',
  live: 'ok',
};

export function Badge({ value }: { value: string | null | undefined }) {
  if (!value) return <span class="muted">—</span>;
  return <span class={`badge tone-${TONE[value] ?? 'muted'}`}>{value}</span>;
}

export function Section({ title, actions, children, id }: { title: string; actions?: ComponentChildren; children: ComponentChildren; id?: string }) {
  const headingId = `${id ?? title.toLowerCase().replace(/\W+/g, '-')}-title`;
  return (
    <section class="card" aria-labelledby={headingId}>
      <header class="card-head">
        <h2 id={headingId}>{title}</h2>
        {actions && <div class="card-actions">{actions}</div>}
      </header>
      {children}
    </section>
  );
}

/** An error answer shown where it happened; field details listed under the message. */
export function ErrorNote({ error }: { error: Error | undefined }) {
  if (!error) return null;
  const details = error instanceof ApiError ? error.details : [];
  const hint = error instanceof ApiError && error.isAuth ? ' Set the API token (top right).' : '';
  return (
    <div class="error-note" role="alert">
      <strong>{error.message}</strong>
      {hint}
      {details.length > 0 && (
        <ul>
          {details.map((d) => (
            <li key={d.field}>
              <code>{d.field}</code>: {d.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Stat({ label, value, hint }: { label: string; value: ComponentChildren; hint?: ComponentChildren }) {
  return (
    <div class="stat">
      <div class="stat-label">{label}</div>
      <div class="stat-value">{value}</div>
      {hint !== undefined && <div class="stat-hint">{hint}</div>}
    </div>
  );
}

export const Loading = ({ what }: { what: string }) => (
  <p class="muted" aria-live="polite">
    Loading {what}…
  </p>
);

/** A table head: a row-label column, then right-aligned numeric columns. */
export function NumericHead({ first, columns }: { first: string; columns: readonly string[] }) {
  return (
    <thead>
      <tr>
        <th scope="col">{first}</th>
        {columns.map((h) => (
          <th key={h} scope="col" class="num">
            {h}
          </th>
        ))}
      </tr>
    </thead>
  );
}
