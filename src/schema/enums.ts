/**
 * Enum values with their meaning. A `Record` over the value union makes the compiler insist that
 * every value is described (the contract test insists too).
 */
export function described<T extends string>(meanings: Record<T, string>): Record<T, { description: string }> {
  return Object.fromEntries(Object.entries(meanings).map(([value, description]) => [value, { description }])) as Record<T, { description: string }>;
}

/**
 * Enum values for names that are not GraphQL enum names (`Google`, `iCloud`): the GraphQL value is
 * the name in capitals (GOOGLE, ICLOUD), the resolvers receive the name itself.
 */
export function describedNames<T extends string>(meanings: Record<T, string>): Record<string, { value: T; description: string }> {
  return Object.fromEntries(Object.entries(meanings).map(([value, description]) => [value.toUpperCase(), { value: value as T, description: description as string }]));
}
