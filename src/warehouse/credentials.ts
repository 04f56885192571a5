/**
 * Stored forms of exchange credentials (see README.md in this folder):
 * plain text (as the original stored them), `env:VAR_NAME`, or
 * `enc:v1:<base64(iv | tag | ciphertext)>` under AES-256-GCM.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { CredentialError, WarehouseInputError } from './errors.js';

const ENV_PREFIX = 'env:';
const ENC_PREFIX = 'enc:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Parses KAIROS_CREDENTIAL_KEY: 32 bytes as 64 hex digits or base64. */
export function parseCredentialKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) {
    throw new WarehouseInputError('KAIROS_CREDENTIAL_KEY must be 32 bytes, written as 64 hex digits or 44 base64 characters');
  }
  return key;
}

/** Encrypts one credential value into its `enc:v1:` stored form. */
export function encryptCredential(value: string, key: Buffer): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ciphertext = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  return ENC_PREFIX + Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64');
}

export interface CredentialSources {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly key?: Buffer | undefined;
}

/**
 * Resolves one stored credential field. Errors name the portfolio, the field
 * and (for references) the variable, never a value.
 */
export function resolveCredential(portfolio: string, field: string, stored: string, sources: CredentialSources): string {
  if (stored.startsWith(ENV_PREFIX)) {
    const name = stored.slice(ENV_PREFIX.length);
    const value = sources.env[name];
    if (value === undefined || value === '') throw new CredentialError(portfolio, field, `references environment variable ${name}, which is not set`);
    return value;
  }
  if (stored.startsWith(ENC_PREFIX)) {
    if (!sources.key) throw new CredentialError(portfolio, field, 'is encrypted but KAIROS_CREDENTIAL_KEY is not set');
    const packed = Buffer.from(stored.slice(ENC_PREFIX.length), 'base64');
    if (packed.length < IV_BYTES + TAG_BYTES) throw new CredentialError(portfolio, field, 'is not a valid enc:v1 value');
    try {
      const decipher = createDecipheriv('aes-256-gcm', sources.key, packed.subarray(0, IV_BYTES));
      decipher.setAuthTag(packed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(packed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new CredentialError(portfolio, field, 'could not be decrypted: wrong KAIROS_CREDENTIAL_KEY or a corrupted value');
    }
  }
  return stored;
}
