// Renders a kustomization the way `kustomize build` does, for the subset deploy/kubernetes uses,
// so that a unit test checks the overlays with no kustomize binary and no cluster. Anything
// outside the subset is refused by name rather than rendered differently from kustomize:
//   resources           files, and folders holding a kustomization.yaml (a base)
//   configMapGenerator  `files` only, with disableNameSuffixHash (no hashed names to rewrite)
//   patches             inline JSON patches (RFC 6902: add, replace, remove), each with a target by
//                       kind, name and labels (key=value)
//   namespace, images (newName, newTag), replicas
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

interface Kustomization {
  resources?: string[];
  namespace?: string;
  images?: { name: string; newName?: string; newTag?: string }[];
  replicas?: { name: string; count: number }[];
  patches?: { target?: Target; patch?: string }[];
  configMapGenerator?: { name: string; files?: string[]; options?: { disableNameSuffixHash?: boolean } }[];
}

const SUPPORTED = new Set(['apiVersion', 'kind', 'resources', 'namespace', 'images', 'replicas', 'patches', 'configMapGenerator']);
const SCALABLE_KINDS = new Set(['Deployment', 'StatefulSet', 'ReplicaSet']);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isMap(value: unknown): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(object: KubernetesObject): string {
  return `${object.kind} ${object.metadata.name}`;
}

/** The documents of a YAML file, each an object with a kind and a name. */
function readObjects(file: string): KubernetesObject[] {
  return parseAllDocuments(readFileSync(file, 'utf8')).flatMap((document): KubernetesObject[] => {
    if (document.errors.length > 0) throw new Error(`${file}: ${document.errors[0]!.message}`);
    const object: unknown = document.toJS();
    if (object === null) return []; // an empty document, e.g. after a trailing ---
    if (!isMap(object) || typeof object.kind !== 'string' || !isMap(object.metadata) || typeof object.metadata.name !== 'string') {
      throw new Error(`${file}: every document must be an object with a kind and a metadata.name`);
    }
    return [object as unknown as KubernetesObject];
  });
}

/** A file the kustomization names, refused above its folder as kustomize's load restrictor does. */
function fileIn(directory: string, name: string): string {
  const file = path.resolve(directory, name);
  if (path.relative(directory, file).startsWith('..')) {
    throw new Error(`${directory}/kustomization.yaml: ${name} is outside its folder; kustomize refuses to read it`);
  }
  return file;
}

function generateConfigMap(directory: string, generator: NonNullable<Kustomization['configMapGenerator']>[number]): KubernetesObject {
  if (generator.options?.disableNameSuffixHash !== true) {
    throw new Error(`configMapGenerator ${generator.name}: only disableNameSuffixHash: true is supported (no hashed names to rewrite)`);
  }
  const data = Object.fromEntries(
    (generator.files ?? []).map((entry) => {
      const [key, file] = entry.includes('=') ? (entry.split('=', 2) as [string, string]) : [path.basename(entry), entry];
      return [key, readFileSync(fileIn(directory, file), 'utf8')];
    }),
  );
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: generator.name }, data };
}

interface Target {
  kind?: string;
  name?: string;
  /** Equality terms only, comma-separated: app.kubernetes.io/component=subgraph. */
  labelSelector?: string;
}

interface Operation {
  op: string;
  path: string;
  value?: Json;
}

function isTargeted(object: KubernetesObject, { kind, name, labelSelector }: Target): boolean {
  const labels = object.metadata.labels ?? {};
  const terms = labelSelector?.split(',').map((term) => term.split('=').map((part) => part.trim())) ?? [];
  if (terms.some((term) => term.length !== 2)) throw new Error(`labelSelector ${labelSelector}: only key=value terms are supported`);
  return (
    (kind === undefined || object.kind === kind) &&
    (name === undefined || object.metadata.name === name) &&
    terms.every(([key, value]) => labels[key!] === value)
  );
}

/** Applies one RFC 6902 operation in place: add (`-` appends to a list), replace or remove. */
export function applyOperation(document: Json, { op, path: pointer, value }: Operation): void {
  if (!['add', 'replace', 'remove'].includes(op)) throw new Error(`${op} ${pointer}: only add, replace and remove are supported`);
  const keys = pointer
    .split('/')
    .slice(1)
    .map((key) => key.replaceAll('~1', '/').replaceAll('~0', '~'));
  const last = keys.pop();
  let parent: Json | undefined = document;
  for (const key of keys) parent = Array.isArray(parent) ? parent[Number(key)] : isMap(parent) ? parent[key] : undefined;
  if (last === undefined || (!Array.isArray(parent) && !isMap(parent))) throw new Error(`${op} ${pointer}: no such path`);
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last);
    const end = op === 'add' ? parent.length : parent.length - 1;
    if (!Number.isInteger(index) || index < 0 || index > end) throw new Error(`${op} ${pointer}: no such index`);
    parent.splice(index, op === 'add' ? 0 : 1, ...(op === 'remove' ? [] : [value!]));
    return;
  }
  if (op !== 'add' && !(last in parent)) throw new Error(`${op} ${pointer}: no such path`);
  if (op === 'remove')
    delete parent[last]; // eslint-disable-line @typescript-eslint/no-dynamic-delete -- the key the pointer names
  else parent[last] = value!;
}

function applyPatches(objects: KubernetesObject[], directory: string, patches: Kustomization['patches'] = []): void {
  for (const { target, patch, ...rest } of patches) {
    if (!target || typeof patch !== 'string' || Object.keys(rest).length > 0) {
      throw new Error(`${directory}/kustomization.yaml: patches support an inline JSON patch (\`patch\`) with a \`target\` only`);
    }
    const operations = parse(patch) as Operation[];
    const targeted = objects.filter((object) => isTargeted(object, target));
    if (targeted.length === 0) throw new Error(`${directory}/kustomization.yaml: the patch target ${JSON.stringify(target)} matches no object`);
    for (const object of targeted) {
      for (const operation of operations) {
        try {
          applyOperation(object as unknown as Json, operation);
        } catch (error) {
          throw new Error(`${directory}/kustomization.yaml: ${describe(object)}: ${(error as Error).message}`, { cause: error });
        }
      }
    }
  }
}

/** Every container and init container of the object, wherever its pod template is. */
function containersOf(value: unknown): Record<string, Json>[] {
  if (Array.isArray(value)) return value.flatMap(containersOf);
  if (!isMap(value)) return [];
  return Object.entries(value).flatMap(([key, field]) =>
    (key === 'containers' || key === 'initContainers') && Array.isArray(field) ? field.filter(isMap) : containersOf(field),
  );
}

function imageName(image: string): string {
  return image.replace(/@.*$/, '').replace(/:[^:/]*$/, '');
}

function setImages(objects: KubernetesObject[], images: Kustomization['images'] = []): void {
  for (const { name, newName, newTag } of images) {
    for (const container of objects.flatMap(containersOf)) {
      if (typeof container.image !== 'string' || imageName(container.image) !== name) continue;
      const tag = newTag ?? container.image.slice(imageName(container.image).length + 1);
      container.image = `${newName ?? name}${tag ? `:${tag}` : ''}`;
    }
  }
}

function setReplicas(objects: KubernetesObject[], replicas: Kustomization['replicas'] = []): void {
  for (const { name, count } of replicas) {
    const target = objects.find((object) => SCALABLE_KINDS.has(object.kind) && object.metadata.name === name);
    if (!target) throw new Error(`replicas: no Deployment, StatefulSet or ReplicaSet is named ${name}`);
    target.spec = { ...(target.spec as Record<string, Json>), replicas: count };
  }
}

/** The objects `kustomize build <directory>` prints, for the subset described at the top. */
export function renderKustomization(directory: string): KubernetesObject[] {
  const file = path.join(directory, 'kustomization.yaml');
  const kustomization = (parse(readFileSync(file, 'utf8')) ?? {}) as Kustomization;
  const unsupported = Object.keys(kustomization).filter((key) => !SUPPORTED.has(key));
  if (unsupported.length > 0) {
    throw new Error(`${file}: ${unsupported.join(', ')}: not supported by deploy/kubernetes/kustomize.ts; add it there, with a test`);
  }
  const { resources = [], configMapGenerator = [] } = kustomization;
  const loaded = [
    ...resources.flatMap((resource) => {
      const target = path.resolve(directory, resource);
      return statSync(target).isDirectory() ? renderKustomization(target) : readObjects(fileIn(directory, resource));
    }),
    ...configMapGenerator.map((generator) => generateConfigMap(directory, generator)),
  ];
  const seen = new Set<string>();
  for (const object of loaded) {
    const key = `${object.apiVersion} ${describe(object)}`;
    if (seen.has(key)) throw new Error(`${file}: ${describe(object)} is defined twice`);
    seen.add(key);
  }
  const objects = structuredClone(loaded);
  applyPatches(objects, directory, kustomization.patches);
  if (kustomization.namespace) for (const object of objects) object.metadata.namespace = kustomization.namespace;
  setImages(objects, kustomization.images);
  setReplicas(objects, kustomization.replicas);
  return objects;
}
