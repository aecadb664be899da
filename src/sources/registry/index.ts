/** The registry module: clients, costs, overrides, encrypted keys and API tokens. */
export type { BillingType, ClientInput, ClientRecord, MailboxOverride, ManualCost } from './types';
export { createRegistry, type Registry } from './registry';
export { createSecretBox, verifyEncryptionKey, type SecretBox } from './secret-box';
export { createTokenStore, TOKEN_PREFIX, type TokenIdentity, type TokenInfo, type TokenStore } from './tokens';
export { seedDemoClients, demoClientInput, type DemoWorkspace } from './demo-seed';
export { EncryptionKeyError, RegistryInputError } from './errors';
