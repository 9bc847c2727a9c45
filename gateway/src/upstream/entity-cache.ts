// The entity cache as a unit: an `_entities` call of a query takes what the cache holds and asks
// the subgraph for the missing representations only (cache/entity-cache.ts). No options: it works
// when the cache plugins attached a cache to the operation (cache/index.ts; never while the
// client counts SQL statements), and stands aside otherwise.
import { throughEntityCache } from '../cache/index.ts';
import type { UpstreamUnit } from './types.ts';

export const entityCache: UpstreamUnit = (next) => (request) => throughEntityCache(request, next);
