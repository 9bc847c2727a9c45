// Public ids are opaque strings; in our databases they are PostgreSQL `integer` keys.
const MAX_INT4 = 2_147_483_647;

/** The database key behind a public id, or null when no row can have that id. */
export function parseId(id: string | number): number | null {
  const text = String(id);
  if (!/^[1-9][0-9]{0,9}$/.test(text)) return null;
  const value = Number(text);
  return value <= MAX_INT4 ? value : null;
}
