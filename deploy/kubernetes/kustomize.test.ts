import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderKustomization, strategicMerge } from './kustomize.ts';

let root: string;

function write(file: string, text: string): void {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), text);
}

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
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
        'patches: [{ path: api.yaml }]',
        'images: [{ name: example/api, newName: registry.example.com/api, newTag: "2.0" }]',
        'replicas: [{ name: api, count: 5 }]',
      ].join('\n'),
    );
    write(
      'overlay/api.yaml',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          env:\n            - name: LOG_LEVEL\n              value: debug\n            - name: EXTRA\n              value: "1"\n',
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
              { name: 'sidecar', image: 'example/sidecar:2.0' },
            ],
          },
        },
      },
    });
    expect(service?.metadata.namespace).toBe('shop');
  });

  it('refuses what it does not render as kustomize would', () => {
    write('bad/kustomization.yaml', 'resources: [../base]\nnamePrefix: eu-\n');
    expect(() => renderKustomization(path.join(root, 'bad'))).toThrow(/namePrefix: not supported/);
    write('outside/kustomization.yaml', 'resources: [../base/api.yaml]\n');
    expect(() => renderKustomization(path.join(root, 'outside'))).toThrow(/outside its folder/);
    write('hashed/kustomization.yaml', 'configMapGenerator:\n  - name: files\n    files: [a.txt]\n');
    expect(() => renderKustomization(path.join(root, 'hashed'))).toThrow(/disableNameSuffixHash/);
    write('stray/kustomization.yaml', 'resources: [../base]\npatches: [{ path: web.yaml }]\n');
    write('stray/web.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n');
    expect(() => renderKustomization(path.join(root, 'stray'))).toThrow(/Deployment web is in no resource/);
    write('scale/kustomization.yaml', 'resources: [../base]\nreplicas: [{ name: web, count: 1 }]\n');
    expect(() => renderKustomization(path.join(root, 'scale'))).toThrow(/no Deployment, StatefulSet or ReplicaSet is named web/);
  });
});

describe('strategicMerge', () => {
  it('merges maps, deletes on null, merges named lists by name and replaces other lists', () => {
    expect(
      strategicMerge(
        { a: 1, b: { c: 2, d: 3 }, named: [{ name: 'x', v: 1 }], plain: [1, 2] },
        { b: { d: null, e: 4 }, named: [{ name: 'x', w: 2 }, { name: 'y' }], plain: [3] },
      ),
    ).toEqual({ a: 1, b: { c: 2, e: 4 }, named: [{ name: 'x', v: 1, w: 2 }, { name: 'y' }], plain: [3] });
  });
});
