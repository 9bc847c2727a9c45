// The gateway's readiness: whether each subgraph of the supergraph it serves answers its /health.
// It is ready while any of them does (gateway.ts: readyWhen 'any'), degraded while some do not.
import { checkDependency, type DependencyState } from '#lib/service/http.ts';

export function subgraphsReadiness(subgraphUrls: ReadonlyMap<string, string>) {
  return async (): Promise<Record<string, DependencyState>> =>
    Object.fromEntries(
      await Promise.all(
        [...subgraphUrls].map(async ([name, url]): Promise<[string, DependencyState]> => [
          name,
          await checkDependency(async (signal) => {
            const response = await fetch(new URL('/health', url), { signal });
            if (!response.ok) throw new Error(`GET /health answered ${response.status}`);
          }),
        ]),
      ),
    );
}
