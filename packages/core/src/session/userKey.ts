/**
 * Which user this is, defined once for the provider (cache cleared when it changes) and the
 * hooks (query keys scoped by it): the user's `id` when it has one, else the whole user
 * serialised; `null` when signed out.
 */
export function userKeyOf(user: unknown): string | number | null {
  if (user === null || user === undefined) return null;
  if (typeof user === 'object' && 'id' in user) {
    const { id } = user;
    if (typeof id === 'string' || typeof id === 'number') return id;
  }
  return JSON.stringify(user);
}
