import { DateTimeResolver } from 'graphql-scalars';

/** `DateTime`: ISO-8601 in UTC, e.g. 2026-11-24T09:30:00.000Z; every subgraph declares it alike. */
export const DateTime = DateTimeResolver;
