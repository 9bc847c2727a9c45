// The Kubernetes manifests, rendered per overlay as `kubectl apply -k` would (kustomize.ts) and
// checked with no cluster: every object against the Kubernetes schemas (kubernetes-models), then
// against this repository: the subgraphs of subgraphs/manifest.ts, the variables of
// lib/service/env.ts, the committed supergraph, the services' probes and ports, and who the
// network policies let reach whom.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as models from 'kubernetes-models';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { ENVIRONMENT_VARIABLES } from '#lib/service/env.ts';
import { REPO_ROOT, SUBGRAPHS } from '../../subgraphs/manifest.ts';
import { renderKustomization, type KubernetesObject } from './kustomize.ts';

const OVERLAYS = ['dev', 'prod'] as const;
const APP_IMAGE = 'graphql-federation-platform';

/** Whether kubectl is installed: its own kustomize (no cluster needed) is then the renderer's reference. */
function hasKubectl(): boolean {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function kubectlKustomize(directory: string): KubernetesObject[] {
  const output = execFileSync('kubectl', ['kustomize', directory], { encoding: 'utf8' });
  return parseAllDocuments(output).map((document) => document.toJS() as KubernetesObject);
}

type Model = new (data: object) => { validate(): void };

// kubernetes-models exports each API group as a camel-cased namespace of versions of models: the
// core group as `v1`, apps/v1 as apps.v1, networking.k8s.io/v1 as networkingK8sIo.v1.
function modelOf({ apiVersion, kind }: KubernetesObject): Model | undefined {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const groupKey = group ? group.replace(/\.(\w)/g, (_match, letter: string) => letter.toUpperCase()) : undefined;
  const byVersion = (groupKey ? (models as unknown as Record<string, unknown>)[groupKey] : models) as Record<string, Record<string, Model>> | undefined;
  return byVersion?.[version!]?.[kind];
}

/** The schema's complaint about an object, or undefined when it is valid. */
function schemaProblem(object: KubernetesObject): string | undefined {
  const Model = modelOf(object);
  if (!Model) return `${object.apiVersion} ${object.kind} is no Kubernetes kind`;
  try {
    new Model(object).validate();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

interface Port {
  name?: string;
  containerPort: number;
}
interface Probe {
  httpGet?: { path: string; port: string | number };
}
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}
interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  ports?: Port[];
  env?: EnvVar[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  volumeMounts?: { name: string; mountPath: string; subPath?: string }[];
  securityContext?: { readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean };
}
interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  securityContext?: { runAsNonRoot?: boolean };
  volumes?: { name: string; configMap?: { name: string } }[];
}
interface Workload extends KubernetesObject {
  spec: { template: { metadata: { labels: Record<string, string> }; spec: PodSpec } };
}
interface Service extends KubernetesObject {
  spec: { type?: string; externalName?: string; selector?: Record<string, string>; ports?: { name?: string; port: number; targetPort?: string | number }[] };
}
interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }[];
}
interface NetworkPolicy extends KubernetesObject {
  spec: {
    podSelector: LabelSelector;
    policyTypes?: string[];
    ingress?: { from?: { podSelector?: LabelSelector; namespaceSelector?: LabelSelector }[]; ports?: { port: string | number }[] }[];
  };
}

function matches(selector: LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!selector) return false;
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  const byExpressions = (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    switch (operator) {
      case 'In':
        return values.includes(labels[key]!);
      case 'NotIn':
        return !values.includes(labels[key]!);
      case 'Exists':
        return key in labels;
      case 'DoesNotExist':
        return !(key in labels);
    }
  });
  return byLabels && byExpressions;
}

function render(overlay: (typeof OVERLAYS)[number]) {
  const objects = renderKustomization(path.join(import.meta.dirname, 'overlays', overlay));
  const ofKind = <Kind extends KubernetesObject>(kind: string) => objects.filter((object) => object.kind === kind) as Kind[];
  const workloads = [...ofKind<Workload>('Deployment'), ...ofKind<Workload>('StatefulSet'), ...ofKind<Workload>('Job')];
  const workloadNamed = (name: string) => {
    const found = workloads.find(({ kind, metadata }) => kind !== 'Job' && metadata.name === name);
    if (!found) throw new Error(`no Deployment or StatefulSet ${name}`);
    return found;
  };
  return { objects, ofKind, workloads, workloadNamed };
}

function containerPort(container: Container, port: string | number | undefined): number | undefined {
  return typeof port === 'number' ? port : container.ports?.find(({ name }) => name === port)?.containerPort;
}

function envValue(container: Container, name: string): string | undefined {
  return container.env?.find((variable) => variable.name === name)?.value;
}

/**
 * Whether a connection from a pod with `from` labels (in this namespace) to `to`'s port is let
 * through: a pod no Ingress policy selects takes everything; one that some select takes what any
 * of their rules allows, as the NetworkPolicy API defines.
 */
function mayConnect(policies: NetworkPolicy[], from: Record<string, string>, to: Workload, port: string): boolean {
  const labels = to.spec.template.metadata.labels;
  const selecting = policies.filter(({ spec }) => (spec.policyTypes ?? ['Ingress']).includes('Ingress') && matches(spec.podSelector, labels));
  if (selecting.length === 0) return true;
  const targetPort = containerPort(to.spec.template.spec.containers[0]!, port);
  return selecting.some(({ spec }) =>
    (spec.ingress ?? []).some(
      (rule) =>
        (rule.ports === undefined || rule.ports.some((allowed) => containerPort(to.spec.template.spec.containers[0]!, allowed.port) === targetPort)) &&
        (rule.from === undefined || rule.from.some((peer) => peer.namespaceSelector === undefined && matches(peer.podSelector, from))),
    ),
  );
}

describe.each(OVERLAYS)('deploy/kubernetes/overlays/%s', (overlay) => {
  const { objects, ofKind, workloads, workloadNamed } = render(overlay);
  const containersOf = ({ spec }: Workload) => [...(spec.template.spec.initContainers ?? []), ...spec.template.spec.containers];
  const appContainers = workloads.flatMap((workload) => containersOf(workload).filter(({ image }) => image.includes(APP_IMAGE)));

  it.skipIf(!hasKubectl())('renders what `kubectl kustomize` renders', () => {
    const byName = (list: KubernetesObject[]) => new Map(list.map((object) => [`${object.kind} ${object.metadata.name}`, object]));
    expect(byName(objects)).toEqual(byName(kubectlKustomize(path.join(import.meta.dirname, 'overlays', overlay))));
  });

  it('holds only objects that the Kubernetes schemas accept', () => {
    expect(objects.length).toBeGreaterThan(20);
    const problems = objects.flatMap((object) => {
      const problem = schemaProblem(object);
      return problem ? [`${object.kind} ${object.metadata.name}: ${problem}`] : [];
    });
    expect(problems).toEqual([]);
  });

  it('runs every subgraph of subgraphs/manifest.ts, on its port, with its database behind an ExternalName Service', () => {
    const services = ofKind<Service>('Service');
    const subgraphDeployments = ofKind<Workload>('Deployment').filter(
      ({ spec }) => spec.template.metadata.labels['app.kubernetes.io/component'] === 'subgraph',
    );
    expect(subgraphDeployments.map(({ metadata }) => metadata.name).sort()).toEqual(SUBGRAPHS.map(({ name }) => name).sort());
    for (const { name, port, main, env } of SUBGRAPHS) {
      const [container] = workloadNamed(name).spec.template.spec.containers;
      expect(container?.command, name).toEqual(['node', '--import', 'tsx', main]);
      expect(envValue(container!, 'PORT'), name).toBe(String(port));
      expect(containerPort(container!, 'http'), name).toBe(port);
      expect(container?.env?.find((variable) => variable.name === env.databaseUrl)?.valueFrom?.secretKeyRef, name).toEqual({
        name: 'database-urls',
        key: env.databaseUrl,
      });
      expect(services.find(({ metadata }) => metadata.name === name)?.spec.ports, name).toEqual([{ name: 'http', port, targetPort: 'http' }]);
      expect(services.find(({ metadata }) => metadata.name === `${name}-postgres`)?.spec, name).toMatchObject({ type: 'ExternalName' });
      // The gateway reaches it by its Service, on its port.
      expect(envValue(workloadNamed('gateway').spec.template.spec.containers[0]!, env.routingUrl)).toBe(`http://${name}:${port}/graphql`);
    }
  });

  it('sets only the variables that lib/service/env.ts reads, and runs the image as non-root on a read-only root', () => {
    const unknown = appContainers.flatMap(({ name, env = [] }) =>
      env.filter((variable) => !ENVIRONMENT_VARIABLES.includes(variable.name)).map((variable) => `${name}: ${variable.name}`),
    );
    expect(unknown).toEqual([]);
    for (const workload of workloads) {
      expect(workload.spec.template.spec.securityContext?.runAsNonRoot, workload.metadata.name).toBe(true);
      for (const container of containersOf(workload)) {
        expect(container.securityContext, `${workload.metadata.name}/${container.name}`).toMatchObject({
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
        });
      }
    }
  });

  it('takes its secrets from the two Secrets that docs/operations.md creates, signing-keys and database-urls', () => {
    const secretNames = workloads.flatMap((each) =>
      containersOf(each).flatMap(({ env = [] }) => env.flatMap(({ valueFrom }) => (valueFrom?.secretKeyRef ? [valueFrom.secretKeyRef.name] : []))),
    );
    expect(new Set(secretNames)).toEqual(new Set(['signing-keys', 'database-urls']));
    const users = workloadNamed('users').spec.template.spec.containers[0]!;
    expect(users.env?.find(({ name }) => name === 'AUTH_PRIVATE_JWKS')?.valueFrom?.secretKeyRef).toEqual({ name: 'signing-keys', key: 'AUTH_PRIVATE_JWKS' });
    const operations = readFileSync(new URL('docs/operations.md', REPO_ROOT), 'utf8');
    for (const variable of ['AUTH_PRIVATE_JWKS', ...SUBGRAPHS.map(({ env }) => env.databaseUrl)]) expect(operations).toContain(`--from-literal=${variable}=`);
  });

  it('probes /health for liveness and /ready for readiness on the port each service listens on', () => {
    for (const workload of ofKind<Workload>('Deployment')) {
      const container = workload.spec.template.spec.containers[0]!;
      const listening = Number(envValue(container, 'PORT'));
      expect(containerPort(container, container.livenessProbe?.httpGet?.port), workload.metadata.name).toBe(listening);
      expect(containerPort(container, container.readinessProbe?.httpGet?.port), workload.metadata.name).toBe(listening);
      expect(container.livenessProbe?.httpGet?.path, workload.metadata.name).toBe('/health');
      // The web app has no dependency to wait for: it is ready when it runs.
      expect(container.readinessProbe?.httpGet?.path, workload.metadata.name).toBe(workload.metadata.name === 'web' ? '/health' : '/ready');
    }
  });

  it('gives every Service, disruption budget and autoscaler something to select', () => {
    for (const service of ofKind<Service>('Service').filter(({ spec }) => spec.type !== 'ExternalName')) {
      const selected = workloads.filter(({ spec }) => matches({ matchLabels: service.spec.selector }, spec.template.metadata.labels));
      expect(
        selected.map(({ metadata }) => metadata.name),
        service.metadata.name,
      ).toEqual([service.metadata.name]);
      for (const { targetPort } of service.spec.ports ?? []) {
        expect(containerPort(selected[0]!.spec.template.spec.containers[0]!, targetPort), `${service.metadata.name} ${targetPort}`).toBeDefined();
      }
    }
    for (const budget of ofKind<KubernetesObject & { spec: { selector: LabelSelector } }>('PodDisruptionBudget')) {
      expect(
        workloads.filter(({ spec }) => matches(budget.spec.selector, spec.template.metadata.labels)).map(({ metadata }) => metadata.name),
        budget.metadata.name,
      ).toEqual([budget.metadata.name]);
    }
    const [autoscaler] = ofKind<KubernetesObject & { spec: { scaleTargetRef: { kind: string; name: string } } }>('HorizontalPodAutoscaler');
    expect(autoscaler?.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: 'gateway' });
    // The autoscaler owns the gateway's count: a replicas field would fight it on every apply.
    expect(workloadNamed('gateway').spec).not.toHaveProperty('replicas');
  });

  it('serves one origin: /graphql to the gateway, the rest to the web app', () => {
    interface Ingress extends KubernetesObject {
      spec: { rules: { host?: string; http: { paths: { path: string; backend: { service: { name: string; port: { name: string } } } }[] } }[] };
    }
    const [ingress] = ofKind<Ingress>('Ingress');
    const routes = ingress?.spec.rules.flatMap(({ http }) =>
      http.paths.map(({ path: prefix, backend }) => [prefix, backend.service.name, backend.service.port.name]),
    );
    expect(routes).toEqual([
      ['/graphql', 'gateway', 'http'],
      ['/', 'web', 'http'],
    ]);
    expect(ingress?.spec.rules[0]?.host, 'each overlay names its host').toBeDefined();
    expect(envValue(workloadNamed('web').spec.template.spec.containers[0]!, 'WEB_GRAPHQL_URL')).toBe('/graphql');
  });

  it("keeps the web app's registered documents: published before each gateway serves, never evicted from Redis, on its volume", () => {
    const { spec } = workloadNamed('gateway').spec.template;
    const publish = spec.initContainers?.find(({ command }) => command?.includes('documents/publish-cli.ts'));
    expect(publish?.command).toEqual(['node', '--import', 'tsx', 'documents/publish-cli.ts']);
    expect(existsSync(new URL('documents/publish-cli.ts', REPO_ROOT))).toBe(true);
    expect(envValue(publish!, 'REDIS_URL')).toBe(envValue(spec.containers[0]!, 'REDIS_URL'));
    const redis = workloadNamed('redis') as Workload & { spec: { volumeClaimTemplates?: { metadata: { name: string } }[] } };
    const args = redis.spec.template.spec.containers[0]!.args!;
    // The registry's keys have no expiry: volatile-* policies evict the caches' keys only.
    expect(args[args.indexOf('--maxmemory-policy') + 1]).toMatch(/^(volatile-|noeviction$)/);
    expect(args[args.indexOf('--appendonly') + 1]).toBe('yes');
    const dataMount = redis.spec.template.spec.containers[0]!.volumeMounts?.find(({ mountPath }) => mountPath === '/data');
    expect(redis.spec.volumeClaimTemplates?.map(({ metadata }) => metadata.name)).toContain(dataMount?.name);
  });

  it('mounts the committed supergraph from its ConfigMap, whole, where SUPERGRAPH_PATH points', () => {
    const committed = readFileSync(new URL('supergraph.graphql', REPO_ROOT), 'utf8');
    const configMap = ofKind<KubernetesObject & { data: Record<string, string> }>('ConfigMap').find(({ metadata }) => metadata.name === 'supergraph');
    expect(
      configMap?.data['supergraph.graphql'] === committed,
      'deploy/kubernetes/base/supergraph.graphql differs from supergraph.graphql: run npm run schema:compose',
    ).toBe(true);
    const { spec } = workloadNamed('gateway').spec.template;
    const supergraphPath = envValue(spec.containers[0]!, 'SUPERGRAPH_PATH')!;
    const volume = spec.volumes?.find(({ configMap: source }) => source?.name === 'supergraph');
    const mount = spec.containers[0]!.volumeMounts?.find(({ name }) => name === volume?.name);
    // A subPath mount is a copy that never changes: the gateway would not see a new supergraph.
    expect(mount).toEqual({ name: volume?.name, mountPath: path.posix.dirname(supergraphPath), readOnly: true });
    expect(path.posix.basename(supergraphPath)).toBe('supergraph.graphql');
  });

  it('lets only the gateway reach the subgraphs, and only the services reach Redis', () => {
    const policies = ofKind<NetworkPolicy>('NetworkPolicy');
    const labelsOf = (name: string) => workloadNamed(name).spec.template.metadata.labels;
    const outsider = { app: 'anything-else' };
    for (const { name } of SUBGRAPHS) {
      const subgraph = workloadNamed(name);
      expect(mayConnect(policies, labelsOf('gateway'), subgraph, 'http'), `gateway to ${name}`).toBe(true);
      expect(mayConnect(policies, labelsOf('web'), subgraph, 'http'), `web to ${name}`).toBe(false);
      expect(mayConnect(policies, outsider, subgraph, 'http'), `another pod to ${name}`).toBe(false);
      expect(mayConnect(policies, outsider, subgraph, 'metrics'), `another pod to ${name}'s metrics`).toBe(false);
      expect(mayConnect(policies, labelsOf('redis'), subgraph, 'http'), `redis to ${name}`).toBe(false);
      for (const { name: other } of SUBGRAPHS.filter((entry) => entry.name !== name)) {
        // Only the users subgraph answers other subgraphs: its public keys (AUTH_JWKS_URL).
        expect(mayConnect(policies, labelsOf(other), subgraph, 'http'), `${other} to ${name}`).toBe(name === 'users');
      }
      expect(mayConnect(policies, labelsOf(name), workloadNamed('redis'), 'redis'), `${name} to redis`).toBe(true);
    }
    expect(mayConnect(policies, labelsOf('gateway'), workloadNamed('redis'), 'redis')).toBe(true);
    expect(mayConnect(policies, labelsOf('web'), workloadNamed('redis'), 'redis')).toBe(false);
    expect(mayConnect(policies, outsider, workloadNamed('gateway'), 'http')).toBe(true);
    expect(mayConnect(policies, outsider, workloadNamed('web'), 'http')).toBe(true);
    expect(mayConnect(policies, outsider, workloadNamed('gateway'), 'metrics')).toBe(false);
  });
});

describe('the NetworkPolicy check', () => {
  it('lets everything through to a pod no policy selects, and nothing else than its rules to one that some select', () => {
    const pod = {
      spec: {
        template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image: 'x', ports: [{ name: 'http', containerPort: 80 }] }] } },
      },
    } as unknown as Workload;
    const policy = (podSelector: LabelSelector, from: LabelSelector) =>
      ({ spec: { podSelector, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: from }], ports: [{ port: 80 }] }] } }) as unknown as NetworkPolicy;
    expect(mayConnect([policy({ matchLabels: { app: 'other' } }, {})], { app: 'client' }, pod, 'http')).toBe(true);
    expect(mayConnect([policy({ matchLabels: { app: 'api' } }, { matchLabels: { app: 'client' } })], { app: 'client' }, pod, 'http')).toBe(true);
    expect(mayConnect([policy({ matchLabels: { app: 'api' } }, { matchLabels: { app: 'client' } })], { app: 'stranger' }, pod, 'http')).toBe(false);
  });
});
