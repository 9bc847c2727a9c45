// How many items a page holds: the one rule that the subgraphs' resolvers apply to `first` and
// that the gateway's cost checks before execution, so that the two can never disagree.
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** What `first` must be; the gateway refuses any other before execution, with the same words. */
export const PAGE_SIZE_RULE = `must be between 0 and ${MAX_PAGE_SIZE}`;

/** How many rows a page of `first` holds, or undefined when `first` breaks PAGE_SIZE_RULE. */
export function pageSizeOf(first: number | null | undefined): number | undefined {
  const size = first ?? DEFAULT_PAGE_SIZE;
  return Number.isInteger(size) && size >= 0 && size <= MAX_PAGE_SIZE ? size : undefined;
}
