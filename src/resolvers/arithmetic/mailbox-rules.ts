/**
 * How a mailbox's provider, reseller, price and daily capacity are read from its tags.
 *
 * Email Bison encodes provider and reseller only as free-text tags (`Google; Zapmail; 9/11;
 * Warming`), typed by hand, so matching trims and ignores case, and numbered variants
 * (`CheapInboxes - 1`) collapse onto one canonical name.
 */

/**
 * Canonical providers. `Gmail` → Google; `Microsoft` and `Outlook` → Outlook (Microsoft 365 and
 * Outlook mailboxes send the same way and have the same limits). Unknown: no provider tag and
 * no hint from the connection type.
 */
export type Provider = 'Google' | 'Outlook' | 'Yahoo' | 'Custom' | 'iCloud' | 'AOL' | 'Unknown';
export const PROVIDERS: readonly Provider[] = ['Google', 'Outlook', 'Yahoo', 'Custom', 'iCloud', 'AOL', 'Unknown'];

/** Canonical resellers; Unknown when no reseller tag is present. */
export type Reseller = 'Zapmail' | 'CheapInboxes' | 'Mailr' | 'ScaledMail' | 'Unknown';
export const RESELLERS: readonly Reseller[] = ['Zapmail', 'CheapInboxes', 'Mailr', 'ScaledMail', 'Unknown'];

const PROVIDER_TAGS: ReadonlyMap<string, Provider> = new Map([
  ['google', 'Google'],
  ['gmail', 'Google'],
  ['microsoft', 'Outlook'],
  ['outlook', 'Outlook'],
  ['yahoo', 'Yahoo'],
  ['custom', 'Custom'],
  ['icloud', 'iCloud'],
  ['aol', 'AOL'],
]);

const RESELLER_TAGS: ReadonlyMap<string, Reseller> = new Map([
  ['zapmail', 'Zapmail'],
  ['cheapinboxes', 'CheapInboxes'],
  ['mailr', 'Mailr'],
  ['scaledmail', 'ScaledMail'],
]);

/** `CheapInboxes - 1`, `CheapInboxes-2`: a batch number after the reseller's name. */
const NUMBERED_SUFFIX = /\s*-\s*\d+$/;

const normalise = (tag: string) => tag.trim().toLowerCase();

/** Canonical provider of one tag, or null when the tag names no provider. */
export function providerOfTag(tag: string): Provider | null {
  return PROVIDER_TAGS.get(normalise(tag)) ?? null;
}

/** Canonical reseller of one tag, or null when the tag names no reseller. */
export function resellerOfTag(tag: string): Reseller | null {
  return RESELLER_TAGS.get(normalise(tag).replace(NUMBERED_SUFFIX, '')) ?? null;
}

/**
 * The provider a person means by `text` (a filter someone typed): a canonical name or a tag that
 * names one (`gmail` is Google, `microsoft` is Outlook), ignoring case; null when it names none.
 */
export function providerNamed(text: string): Provider | null {
  return PROVIDERS.find((p) => p.toLowerCase() === normalise(text)) ?? providerOfTag(text);
}

/** The reseller a person means by `text`: a canonical name or a reseller tag, ignoring case; null when none. */
export function resellerNamed(text: string): Reseller | null {
  return RESELLERS.find((r) => r.toLowerCase() === normalise(text)) ?? resellerOfTag(text);
}

/** The first reseller tag, else Unknown. */
export function resellerOf(tagNames: readonly string[]): Reseller {
  for (const tag of tagNames) {
    const reseller = resellerOfTag(tag);
    if (reseller) return reseller;
  }
  return 'Unknown';
}

/**
 * ScaledMail and Mailr sell Microsoft mailboxes, so they are Outlook whatever else is tagged.
 * Otherwise the first provider tag; failing that, the connection type (`google_workspace_oauth`,
 * `microsoft_oauth`) as a hint; else Unknown.
 */
export function providerOf(tagNames: readonly string[], reseller: Reseller, connectionType?: string | null): Provider {
  if (reseller === 'ScaledMail' || reseller === 'Mailr') return 'Outlook';
  for (const tag of tagNames) {
    const provider = providerOfTag(tag);
    if (provider) return provider;
  }
  const type = connectionType?.toLowerCase() ?? '';
  if (type.startsWith('google')) return 'Google';
  if (type.startsWith('microsoft')) return 'Outlook';
  return 'Unknown';
}

/** Monthly $ per mailbox of the resellers with a flat price. */
const FLAT_PRICE: Partial<Record<Reseller, number>> = { Zapmail: 3.0, CheapInboxes: 3.0, Mailr: 0.91 };
/** ScaledMail bills $50 a month per domain, shared by the domain's mailboxes. */
const SCALEDMAIL_DOMAIN_PRICE = 50;
/** Mailr allows 495 emails a day per domain, shared by the domain's mailboxes. */
const MAILR_DOMAIN_CAPACITY = 495;

/**
 * Monthly price in $ and whether nobody knows it (an unknown reseller is priced 0 and flagged so
 * the cost is not silently understated). `sameResellerOnDomain` counts mailboxes of the same
 * reseller on this mailbox's domain, this one included.
 */
export function priceOf(reseller: Reseller, sameResellerOnDomain: number): { price: number; needsReview: boolean } {
  if (reseller === 'ScaledMail') return { price: SCALEDMAIL_DOMAIN_PRICE / Math.max(1, sameResellerOnDomain), needsReview: false };
  const flat = FLAT_PRICE[reseller];
  return flat === undefined ? { price: 0, needsReview: true } : { price: flat, needsReview: false };
}

/**
 * Emails a day this mailbox can send. Reseller rules first (Mailr and ScaledMail mailboxes are
 * Outlook, but their limits are set per domain); then 20 for Google and Outlook; else the
 * mailbox's own `daily_limit` from Email Bison.
 */
export function dailyCapacityOf(provider: Provider, reseller: Reseller, sameResellerOnDomain: number, dailyLimit: number): number {
  if (reseller === 'Mailr') return Math.floor(MAILR_DOMAIN_CAPACITY / Math.max(1, sameResellerOnDomain));
  if (reseller === 'ScaledMail') return sameResellerOnDomain >= 25 && sameResellerOnDomain <= 48 ? 8 : 5;
  if (provider === 'Google' || provider === 'Outlook') return 20;
  return dailyLimit;
}

/** Lower-cased part after the last `@`, or '' for a malformed address. */
export function domainOf(email: string): string {
  const at = email.lastIndexOf('@');
  return at >= 0 ? email.slice(at + 1).trim().toLowerCase() : '';
}

/** Email Bison reports `Connected` / `Not connected`; anything else counts as disconnected. */
export function isConnected(status: string): boolean {
  return status.trim().toLowerCase() === 'connected';
}
