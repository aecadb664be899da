/**
 * Pure dashboard arithmetic: source records in, dashboard rows out. No I/O, no GraphQL types:
 * the schema layer exposes these shapes and the sources supply the inputs.
 */
export * from './calendar';
export * from './kpi';
export * from './volume';
export * from './mailbox-rules';
export * from './mailboxes';
export * from './infrastructure';
export * from './mailbox-pagination';
export * from './revenue';
export * from './warnings';
export * from './row-schemas';
export { clientName } from './common';
