// DataLoader helpers shared by the subgraphs. Loaders live in the request's context, so a
// cache never outlives one request nor crosses users.
import DataLoader from 'dataloader';

/** One `WHERE id IN (...)` for all the ids that a request asks for in the same tick. */
export function rowsByIdLoader<Row extends { id: number }>(
  fetchRows: (ids: number[]) => Promise<Row[]>,
): DataLoader<number, Row | null> {
  return new DataLoader(async (ids) => {
    const rows = await fetchRows([...ids]);
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

/** Loads the row behind a public id; null for an id that no row can have. */
export function loadByPublicId<Row>(loader: DataLoader<number, Row | null>, id: number | null): Promise<Row | null> {
  return id === null ? Promise.resolve(null) : loader.load(id);
}
