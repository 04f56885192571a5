/** Bad input to a warehouse operation (unknown collection or field, wrong type); nothing was written. */
export class WarehouseInputError extends Error {
  override readonly name = 'WarehouseInputError';
}

/**
 * A portfolio's credentials cannot be resolved. The message names the
 * portfolio, the field and the reason, never the stored or resolved value.
 */
export class CredentialError extends Error {
  override readonly name = 'CredentialError';
  constructor(
    readonly portfolio: string,
    readonly field: string,
    reason: string,
  ) {
    super(`portfolio "${portfolio}": ${field} ${reason}`);
  }
}

/** The store's schema is newer than this build knows, or otherwise unusable. */
export class WarehouseSchemaError extends Error {
  override readonly name = 'WarehouseSchemaError';
}
