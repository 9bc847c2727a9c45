import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyOperation, renderKustomization } from './kustomize.ts';

let root: string;

function write(file: string, text: string): void {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), text);
}

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  labels:
    tier: api
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: api
          image: example/api:1.0
          env:
            - name: LOG_LEVEL
              value: info
            - name: PORT
              value: "4000"
        - name: sidecar
          image: example/sidecar:2.0
`;

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'kustomize-test-'));
  write(
    'base/kustomization.yaml',
    'resources: [api.yaml]\nconfigMapGenerator:\n  - name: files\n    files: [a.txt, renamed=b.txt]\n    options:\n      disableNameSuffixHash: true\n',
  );
  write('base/api.yaml', `${DEPLOYMENT}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  ports: [{ port: 4000 }]\n`);
  write('base/a.txt', 'A\n');
  write('base/b.txt', 'B\n');
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('renderKustomization', () => {
  it('loads the resources and generates the ConfigMaps of a base', () => {
    const objects = renderKustomization(path.join(root, 'base'));
    expect(objects.map(({ kind, metadata }) => `${kind} ${metadata.name}`)).toEqual(['Deployment api', 'Service api', 'ConfigMap files']);
    expect(objects[2]).toMatchObject({ data: { 'a.txt': 'A\n', renamed: 'B\n' } });
  });

  it('applies an overlay: its patches, then namespace, images and replicas', () => {
    write(
      'overlay/kustomization.yaml',
      [
        'namespace: shop',
        'resources: [../base]',
        'patches:',
        '  - target: { kind: Deployment, labelSelector: tier=api }',
        '    patch: |-',
        '      - { op: add, path: /spec/template/spec/containers/0/env/-, value: { name: EXTRA, value: "1" } }',
        '      - { op: replace, path: /spec/template/spec/containers/0/env/0/value, value: debug }',
        '      - { op: remove, path: /spec/template/spec/containers/1 }',
        'images: [{ name: example/api, newName: registry.example.com/api, newTag: "2.0" }]',
        'replicas: [{ name: api, count: 5 }]',
      ].join('\n'),
    );
    const [deployment, service] = renderKustomization(path.join(root, 'overlay'));
    expect(deployment).toMatchObject({
      metadata: { name: 'api', namespace: 'shop' },
      spec: {
        replicas: 5,
        template: {
          spec: {
            containers: [
              {
                name: 'api',
                image: 'registry.example.com/api:2.0',
                env: [
                  { name: 'LOG_LEVEL', value: 'debug' },
                  { name: 'PORT', value: '4000' },
                  { name: 'EXTRA', value: '1' },
                ],
              },
            ],
          },
        },
      },
    });
    expect((deployment?.spec as { template: { spec: { containers: unknown[] } } }).template.spec.containers).toHaveLength(1);
    expect(service?.metadata.namespace).toBe('shop');
  });

  it('refuses what it does not render as kustomize would', () => {
    write('bad/kustomization.yaml', 'resources: [../base]\nnamePrefix: eu-\n');
    expect(() => renderKustomization(path.join(root, 'bad'))).toThrow(/namePrefix: not supported/);
    write('outside/kustomization.yaml', 'resources: [../base/api.yaml]\n');
    expect(() => renderKustomization(path.join(root, 'outside'))).toThrow(/outside its folder/);
    write('hashed/kustomization.yaml', 'configMapGenerator:\n  - name: files\n    files: [a.txt]\n');
    expect(() => renderKustomization(path.join(root, 'hashed'))).toThrow(/disableNameSuffixHash/);
    write('stray/kustomization.yaml', 'resources: [../base]\npatches: [{ target: { kind: Deployment, name: web }, patch: "[]" }]\n');
    expect(() => renderKustomization(path.join(root, 'stray'))).toThrow(/matches no object/);
    write('file/kustomization.yaml', 'resources: [../base]\npatches: [{ path: api.yaml }]\n');
    expect(() => renderKustomization(path.join(root, 'file'))).toThrow(/inline JSON patch/);
    write(
      'missing/kustomization.yaml',
      'resources: [../base]\npatches: [{ target: { kind: Service }, patch: "[{ op: replace, path: /spec/type, value: NodePort }]" }]\n',
    );
    expect(() => renderKustomization(path.join(root, 'missing'))).toThrow(/Service api: replace \/spec\/type: no such path/);
    write('scale/kustomization.yaml', 'resources: [../base]\nreplicas: [{ name: web, count: 1 }]\n');
    expect(() => renderKustomization(path.join(root, 'scale'))).toThrow(/no Deployment, StatefulSet or ReplicaSet is named web/);
  });
});

describe('applyOperation', () => {
  it('adds, replaces and removes as RFC 6902 says, and refuses a path that is not there', () => {
    const document = { a: { 'b/c': 1, list: [1, 2] } };
    applyOperation(document, { op: 'add', path: '/a/new', value: true });
    applyOperation(document, { op: 'replace', path: '/a/b~1c', value: 2 });
    applyOperation(document, { op: 'add', path: '/a/list/-', value: 3 });
    applyOperation(document, { op: 'add', path: '/a/list/0', value: 0 });
    applyOperation(document, { op: 'remove', path: '/a/list/1' });
    expect(document).toEqual({ a: { 'b/c': 2, list: [0, 2, 3], new: true } });
    expect(() => applyOperation(document, { op: 'replace', path: '/a/missing', value: 1 })).toThrow(/no such path/);
    expect(() => applyOperation(document, { op: 'remove', path: '/a/list/3' })).toThrow(/no such index/);
    expect(() => applyOperation(document, { op: 'add', path: '/nowhere/x', value: 1 })).toThrow(/no such path/);
    expect(() => applyOperation(document, { op: 'move', path: '/a' })).toThrow(/only add, replace and remove/);
  });
});
