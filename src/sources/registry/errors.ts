/** Errors of the registry and token store. Messages name the field and the rule, never a secret value. */

/** Bad input to the registry or the token store (maps to a GraphQL BAD_USER_INPUT). */
export class RegistryInputError extends Error {
  constructor(
    /** The input field at fault, e.g. `pricePerLead`. */
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'RegistryInputError';
  }
}

/** ENCRYPTION_KEY is missing or is not the key the stored Email Bison keys were encrypted with. */
export class EncryptionKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EncryptionKeyError';
  }
}
