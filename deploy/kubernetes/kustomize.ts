// Renders a kustomization the way `kustomize build` does, for the subset deploy/kubernetes uses,
// so that a unit test checks the overlays with no kustomize binary and no cluster. Anything
// outside the subset is refused by name rather than rendered differently from kustomize:
//   resources           files, and folders holding a kustomization.yaml (a base)
//   configMapGenerator  `files` only, with disableNameSuffixHash (no hashed names to rewrite)
//   patches             `path` to strategic-merge patches naming their object (kind and name)
//   namespace, images (newName, newTag), replicas
// The strategic merge here is the simple case: maps merge key by key, null deletes a key, lists of
// objects that all have a `name` (containers, env, volumes) merge item by item, other lists are replaced.
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
  patches?: { path?: string }[];
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

function isNamedList(items: Json[]): items is Record<string, Json>[] {
  return items.every((item) => isMap(item) && typeof item.name === 'string');
}

/** A strategic merge of `patch` into `base`, in the simple case described above. */
export function strategicMerge(base: Json | undefined, patch: Json): Json {
  if (isMap(base) && isMap(patch)) {
    const merged = Object.entries(patch).map(([key, value]) => [key, value === null ? undefined : strategicMerge(base[key], value)] as const);
    // A null in the patch deletes the key.
    return Object.fromEntries([...Object.entries(base), ...merged].filter(([key]) => patch[key] !== null)) as Record<string, Json>;
  }
  if (Array.isArray(base) && Array.isArray(patch) && isNamedList(base) && isNamedList(patch)) {
    const merged = [...base];
    for (const item of patch) {
      const index = merged.findIndex((existing) => existing.name === item.name);
      if (index === -1) merged.push(item);
      else merged[index] = strategicMerge(merged[index], item) as Record<string, Json>;
    }
    return merged;
  }
  return patch;
}

function applyPatches(objects: KubernetesObject[], directory: string, patches: Kustomization['patches'] = []): KubernetesObject[] {
  let patched = objects;
  for (const { path: patchPath, ...rest } of patches) {
    if (patchPath === undefined || Object.keys(rest).length > 0) {
      throw new Error(`${directory}/kustomization.yaml: patches support \`path\` only, to a strategic-merge patch (got ${Object.keys(rest).join(', ')})`);
    }
    for (const patch of readObjects(fileIn(directory, patchPath))) {
      const target = patched.findIndex((object) => object.kind === patch.kind && object.metadata.name === patch.metadata.name);
      if (target === -1) throw new Error(`${patchPath}: ${describe(patch)} is in no resource`);
      patched = patched.with(target, strategicMerge(patched[target] as unknown as Json, patch as unknown as Json) as unknown as KubernetesObject);
    }
  }
  return patched;
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
  const objects = structuredClone(applyPatches(loaded, directory, kustomization.patches));
  if (kustomization.namespace) for (const object of objects) object.metadata.namespace = kustomization.namespace;
  setImages(objects, kustomization.images);
  setReplicas(objects, kustomization.replicas);
  return objects;
}
