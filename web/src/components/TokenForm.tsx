import { useState } from 'preact/hooks';
import { storedToken, storeToken } from '../api.js';

/**
 * Asks for the API token (KAIROS_API_TOKEN). `reason` says why it is asked
 * (refused or missing); `onDone` runs after the token is stored.
 */
export function TokenForm({ reason, onDone, onCancel }: { reason?: string | undefined; onDone: () => void; onCancel?: () => void }) {
  const [token, setToken] = useState(storedToken());
  return (
    <form
      class="token-form card"
      onSubmit={(e) => {
        e.preventDefault();
        storeToken(token.trim());
        onDone();
      }}
    >
      <h2>API token</h2>
      {reason && (
        <p class="error-note" role="alert">
          {reason}
        </p>
      )}
      <p class="muted">Kept in this tab only (sessionStorage) and sent as a Bearer token.</p>
      <label for="token-input">Token</label>
      <input id="token-input" type="password" autoComplete="current-password" value={token} onInput={(e) => setToken(e.currentTarget.value)} autoFocus />
      <div class="row">
        <button type="submit" class="primary">
          Use token
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
        {storedToken() && (
          <button
            type="button"
            onClick={() => {
              storeToken('');
              onDone();
            }}
          >
            Forget token
          </button>
        )}
      </div>
    </form>
  );
}
