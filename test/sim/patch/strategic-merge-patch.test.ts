import { describe, expect, it } from 'vitest';
import type { JsonObject, KubeObject } from '../../../source/sim/objects.js';
import { strategiesForKind } from '../../../source/sim/patch/patch-strategies.js';
import { strategicMergePatch } from '../../../source/sim/patch/strategic-merge-patch.js';
import { expectPatchError } from './expect-patch-error.js';
import { at, deepFreeze, deployment, edited, endpoints, node, pod, service } from './fixtures.js';

/** Shorthand for the pod spec inside a Deployment, where most kubectl patches land. */
const podSpecPatch = (spec: JsonObject): JsonObject => ({ spec: { template: { spec } } });
const apiContainer = (d: KubeObject) => at(d, 'spec', 'template', 'spec', 'containers', 0);

function smp(original: KubeObject, patch: JsonObject): JsonObject {
  return strategicMergePatch(deepFreeze(original), deepFreeze(patch), strategiesForKind(original.kind ?? ''));
}

describe('strategicMergePatch: merging by key', () => {
  it.each<{ name: string; original: KubeObject; patch: JsonObject; expected: JsonObject }>([
    {
      name: 'kubectl apply of a new image keeps ports, env, mounts and the sidecar',
      original: deployment(),
      patch: {
        metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"kind":"Deployment"}\n' } },
        spec: {
          template: {
            spec: { '$setElementOrder/containers': [{ name: 'api' }], containers: [{ image: 'nginx:1.26', name: 'api' }] },
          },
        },
      },
      expected: edited(deployment(), (d) => {
        d.metadata.annotations = {
          'deployment.kubernetes.io/revision': '3',
          'kubectl.kubernetes.io/last-applied-configuration': '{"kind":"Deployment"}\n',
        };
        apiContainer(d).image = 'nginx:1.26';
      }),
    },
    {
      name: 'env is merged by name: a changed value in place, a new variable appended',
      original: deployment(),
      patch: podSpecPatch({
        containers: [{ name: 'api', env: [{ name: 'FEATURE_X', value: 'on' }, { name: 'LOG_LEVEL', value: 'debug' }] }],
      }),
      expected: edited(deployment(), (d) => {
        apiContainer(d).env = [
          { name: 'LOG_LEVEL', value: 'debug' },
          { name: 'DB_HOST', value: 'db.shop.svc.cluster.local' },
          { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'FEATURE_X', value: 'on' },
        ];
      }),
    },
    {
      name: 'a new container without $setElementOrder is appended after the existing ones',
      original: deployment(),
      patch: podSpecPatch({ containers: [{ name: 'worker', image: 'shop/worker:2.0' }] }),
      expected: edited(deployment(), (d) => {
        at(d, 'spec', 'template', 'spec').containers = [
          ...(at(d, 'spec', 'template', 'spec').containers as JsonObject[]),
          { name: 'worker', image: 'shop/worker:2.0' },
        ];
      }),
    },
    {
      name: 'a new container is placed where $setElementOrder puts it',
      original: deployment(),
      patch: podSpecPatch({
        '$setElementOrder/containers': [{ name: 'api' }, { name: 'worker' }, { name: 'istio-proxy' }],
        containers: [{ name: 'worker', image: 'shop/worker:2.0' }],
      }),
      expected: edited(deployment(), (d) => {
        const [api, proxy] = at(d, 'spec', 'template', 'spec').containers as JsonObject[];
        at(d, 'spec', 'template', 'spec').containers = [api!, { name: 'worker', image: 'shop/worker:2.0' }, proxy!];
      }),
    },
    {
      name: 'container ports are merged by containerPort',
      original: deployment(),
      patch: podSpecPatch({
        containers: [{ name: 'api', ports: [{ containerPort: 9090, name: 'prom' }, { containerPort: 8443, name: 'https' }] }],
      }),
      expected: edited(deployment(), (d) => {
        apiContainer(d).ports = [
          { name: 'http', containerPort: 8080, protocol: 'TCP' },
          { name: 'prom', containerPort: 9090, protocol: 'TCP' },
          { name: 'https', containerPort: 8443 },
        ];
      }),
    },
    {
      name: 'volumeMounts are merged by mountPath',
      original: deployment(),
      patch: podSpecPatch({
        containers: [
          {
            name: 'api',
            volumeMounts: [
              { mountPath: '/var/cache/api', readOnly: true },
              { name: 'tls', mountPath: '/etc/tls' },
            ],
          },
        ],
      }),
      expected: edited(deployment(), (d) => {
        apiContainer(d).volumeMounts = [
          { name: 'config', mountPath: '/etc/api', readOnly: true },
          { name: 'cache', mountPath: '/var/cache/api', readOnly: true },
          { name: 'tls', mountPath: '/etc/tls' },
        ];
      }),
    },
    {
      name: 'volumes, initContainers and imagePullSecrets are merged by name',
      original: deployment(),
      patch: podSpecPatch({
        volumes: [{ name: 'tls', secret: { secretName: 'api-tls' } }],
        initContainers: [{ name: 'migrate', image: 'shop/migrate:1' }],
        imagePullSecrets: [{ name: 'mirror' }, { name: 'regcred' }],
      }),
      expected: edited(deployment(), (d) => {
        const spec = at(d, 'spec', 'template', 'spec');
        spec.volumes = [
          { name: 'config', configMap: { name: 'api-config' } },
          { name: 'cache', emptyDir: {} },
          { name: 'tls', secret: { secretName: 'api-tls' } },
        ];
        spec.initContainers = [{ name: 'migrate', image: 'shop/migrate:1' }];
        spec.imagePullSecrets = [{ name: 'regcred' }, { name: 'mirror' }];
      }),
    },
    {
      name: 'kubectl rollout restart merges into the template annotations',
      original: deployment(),
      patch: { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2025-06-01T10:00:00Z' } } } } },
      expected: edited(deployment(), (d) => {
        at(d, 'spec', 'template', 'metadata').annotations = {
          'sidecar.istio.io/inject': 'true',
          'kubectl.kubernetes.io/restartedAt': '2025-06-01T10:00:00Z',
        };
      }),
    },
    {
      name: 'deployment status conditions are merged by type',
      original: deployment(),
      patch: { status: { conditions: [{ type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated' }] } },
      expected: edited(deployment(), (d) => {
        at(d, 'status').conditions = [
          { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
          { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated' },
        ];
      }),
    },
    {
      name: 'Service ports are merged by port',
      original: service(),
      patch: { spec: { ports: [{ port: 9000, targetPort: 9443 }, { name: 'https', port: 443, targetPort: 8443, protocol: 'TCP' }] } },
      expected: edited(service(), (s) => {
        at(s, 'spec').ports = [
          { name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' },
          { name: 'grpc', port: 9000, targetPort: 9443, protocol: 'TCP' },
          { name: 'metrics', port: 9090, targetPort: 'metrics', protocol: 'TCP' },
          { name: 'https', port: 443, targetPort: 8443, protocol: 'TCP' },
        ];
      }),
    },
    {
      name: 'Pod ownerReferences are merged by uid',
      original: pod(),
      patch: {
        metadata: {
          ownerReferences: [
            { uid: 'rs-uid-1', blockOwnerDeletion: false },
            { apiVersion: 'v1', kind: 'Node', name: 'worker-1', uid: 'node-uid-1' },
          ],
        },
      },
      expected: edited(pod(), (p) => {
        p.metadata.ownerReferences = [
          { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'api-7d9f8b6c5', uid: 'rs-uid-1', controller: true, blockOwnerDeletion: false },
          { apiVersion: 'v1', kind: 'Node', name: 'worker-1', uid: 'node-uid-1' },
        ];
      }),
    },
    {
      name: 'Pod hostAliases are merged by ip, their hostnames list is replaced',
      original: pod(),
      patch: { spec: { hostAliases: [{ ip: '10.0.0.5', hostnames: ['db.local', 'cache.local'] }, { ip: '10.0.0.6', hostnames: ['mq.local'] }] } },
      expected: edited(pod(), (p) => {
        at(p, 'spec').hostAliases = [
          { ip: '10.0.0.5', hostnames: ['db.local', 'cache.local'] },
          { ip: '10.0.0.6', hostnames: ['mq.local'] },
        ];
      }),
    },
    {
      name: 'Pod ephemeralContainers are merged by name',
      original: pod(),
      patch: { spec: { ephemeralContainers: [{ name: 'debugger', image: 'busybox:1.36', targetContainerName: 'api' }] } },
      expected: edited(pod(), (p) => {
        at(p, 'spec').ephemeralContainers = [{ name: 'debugger', image: 'busybox:1.36', targetContainerName: 'api' }];
      }),
    },
    {
      name: 'Pod status conditions merge by type and podIPs by ip',
      original: pod(),
      patch: {
        status: {
          conditions: [{ type: 'Ready', status: 'False', reason: 'ContainersNotReady' }],
          podIPs: [{ ip: 'fd00::17' }],
        },
      },
      expected: edited(pod(), (p) => {
        at(p, 'status').conditions = [
          { type: 'Ready', status: 'False', reason: 'ContainersNotReady' },
          { type: 'PodScheduled', status: 'True' },
        ];
        at(p, 'status').podIPs = [{ ip: '10.244.1.17' }, { ip: 'fd00::17' }];
      }),
    },
    {
      name: 'Node status addresses and conditions merge by type, podCIDRs as a set',
      original: node(),
      patch: {
        spec: { podCIDRs: ['10.244.1.0/24', 'fd00:10:244:1::/64'] },
        status: {
          addresses: [{ type: 'ExternalIP', address: '203.0.113.7' }],
          conditions: [{ type: 'Ready', status: 'False', reason: 'KubeletNotReady' }],
        },
      },
      expected: edited(node(), (n) => {
        at(n, 'spec').podCIDRs = ['10.244.1.0/24', 'fd00:10:244:1::/64'];
        at(n, 'status').addresses = [
          { type: 'InternalIP', address: '172.18.0.3' },
          { type: 'Hostname', address: 'worker-1' },
          { type: 'ExternalIP', address: '203.0.113.7' },
        ];
        at(n, 'status').conditions = [
          { type: 'MemoryPressure', status: 'False' },
          { type: 'Ready', status: 'False', reason: 'KubeletNotReady' },
        ];
      }),
    },
    {
      name: 'finalizers are merged as a set of strings',
      original: deployment(),
      patch: { metadata: { finalizers: ['shop.example.com/drain', 'shop.example.com/backup'] } },
      expected: edited(deployment(), (d) => {
        d.metadata.finalizers = ['shop.example.com/drain', 'shop.example.com/audit', 'shop.example.com/backup'];
      }),
    },
  ])('$name', ({ original, patch, expected }) => {
    expect(smp(original, patch)).toEqual(expected);
  });
});

describe('strategicMergePatch: lists that are replaced whole', () => {
  it.each<{ name: string; original: KubeObject; patch: JsonObject; expected: JsonObject }>([
    {
      name: 'Endpoints subsets are atomic',
      original: endpoints(),
      patch: { subsets: [{ addresses: [{ ip: '10.244.3.3' }], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }] },
      expected: edited(endpoints(), (e) => {
        e.subsets = [{ addresses: [{ ip: '10.244.3.3' }], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }];
      }),
    },
    {
      name: 'untagged lists (tolerations, container args) are replaced',
      original: deployment(),
      patch: podSpecPatch({
        tolerations: [{ key: 'spot', operator: 'Exists' }],
        containers: [{ name: 'istio-proxy', args: ['proxy', 'router'] }],
      }),
      expected: edited(deployment(), (d) => {
        at(d, 'spec', 'template', 'spec').tolerations = [{ key: 'spot', operator: 'Exists' }];
        at(d, 'spec', 'template', 'spec', 'containers', 1).args = ['proxy', 'router'];
      }),
    },
    {
      name: 'a kind without declared strategies still merges metadata lists',
      original: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'api-config', namespace: 'shop', finalizers: ['a/b'] },
        data: { 'app.yaml': 'port: 8080' },
      },
      patch: { metadata: { finalizers: ['c/d'] }, data: { 'feature.yaml': 'x: true' } },
      expected: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'api-config', namespace: 'shop', finalizers: ['a/b', 'c/d'] },
        data: { 'app.yaml': 'port: 8080', 'feature.yaml': 'x: true' },
      },
    },
  ])('$name', ({ original, patch, expected }) => {
    expect(smp(original, patch)).toEqual(expected);
  });
});

describe('strategicMergePatch: directives', () => {
  it.each<{ name: string; original: KubeObject; patch: JsonObject; expected: JsonObject }>([
    {
      name: 'null deletes a key, in maps and inside merged list items',
      original: deployment(),
      patch: {
        metadata: { labels: { tier: null } },
        spec: { template: { spec: { containers: [{ name: 'api', resources: null }] } } },
      },
      expected: edited(deployment(), (d) => {
        d.metadata.labels = { app: 'api' };
        delete apiContainer(d).resources;
      }),
    },
    {
      name: '$patch: delete on list items removes them by merge key',
      original: deployment(),
      patch: podSpecPatch({
        volumes: [{ name: 'cache', $patch: 'delete' }],
        containers: [
          {
            name: 'api',
            env: [{ name: 'DB_HOST', $patch: 'delete' }],
            volumeMounts: [{ mountPath: '/var/cache/api', $patch: 'delete' }],
          },
          { name: 'istio-proxy', $patch: 'delete' },
        ],
      }),
      expected: edited(deployment(), (d) => {
        const spec = at(d, 'spec', 'template', 'spec');
        spec.volumes = [{ name: 'config', configMap: { name: 'api-config' } }];
        spec.containers = [(spec.containers as JsonObject[])[0]!];
        apiContainer(d).env = [
          { name: 'LOG_LEVEL', value: 'info' },
          { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        ];
        apiContainer(d).volumeMounts = [{ name: 'config', mountPath: '/etc/api', readOnly: true }];
      }),
    },
    {
      // kube-apiserver's merge leaves {} behind; its typed decoding then defaults or omits it.
      name: '$patch: delete on a map empties it, and creates nothing where there was no map',
      original: deployment(),
      patch: {
        spec: {
          strategy: { $patch: 'delete' },
          template: {
            spec: {
              containers: [
                { name: 'api', resources: { $patch: 'delete' } },
                { name: 'istio-proxy', resources: { $patch: 'delete' } },
              ],
            },
          },
        },
      },
      expected: edited(deployment(), (d) => {
        at(d, 'spec').strategy = {};
        apiContainer(d).resources = {};
      }),
    },
    {
      name: '$patch: replace on a map replaces it instead of merging',
      original: deployment(),
      patch: podSpecPatch({ containers: [{ name: 'api', resources: { $patch: 'replace', limits: { cpu: '1' } } }] }),
      expected: edited(deployment(), (d) => {
        apiContainer(d).resources = { limits: { cpu: '1' } };
      }),
    },
    {
      name: '$patch: replace in a list makes the other items the whole list',
      original: deployment(),
      patch: podSpecPatch({
        containers: [{ name: 'api', env: [{ name: 'ONLY', value: 'this' }, { $patch: 'replace' }] }],
      }),
      expected: edited(deployment(), (d) => {
        apiContainer(d).env = [{ name: 'ONLY', value: 'this' }];
      }),
    },
    {
      name: '$retainKeys drops what it does not name (Deployment strategy switch)',
      original: deployment(),
      patch: { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } },
      expected: edited(deployment(), (d) => {
        at(d, 'spec').strategy = { type: 'Recreate' };
      }),
    },
    {
      name: '$retainKeys inside a volume switches its source',
      original: deployment(),
      patch: podSpecPatch({
        volumes: [{ $retainKeys: ['name', 'secret'], name: 'config', secret: { secretName: 'api-config' } }],
      }),
      expected: edited(deployment(), (d) => {
        at(d, 'spec', 'template', 'spec').volumes = [
          { name: 'config', secret: { secretName: 'api-config' } },
          { name: 'cache', emptyDir: {} },
        ];
      }),
    },
    {
      name: '$deleteFromPrimitiveList removes finalizers, $setElementOrder orders the rest',
      original: deployment(),
      patch: {
        metadata: {
          '$setElementOrder/finalizers': ['shop.example.com/backup', 'shop.example.com/drain'],
          '$deleteFromPrimitiveList/finalizers': ['shop.example.com/audit'],
          finalizers: ['shop.example.com/backup'],
        },
      },
      expected: edited(deployment(), (d) => {
        d.metadata.finalizers = ['shop.example.com/backup', 'shop.example.com/drain'];
      }),
    },
    {
      name: '$setElementOrder alone reorders the live list',
      original: deployment(),
      patch: podSpecPatch({ '$setElementOrder/containers': [{ name: 'istio-proxy' }, { name: 'api' }] }),
      expected: edited(deployment(), (d) => {
        const spec = at(d, 'spec', 'template', 'spec');
        spec.containers = [...(spec.containers as JsonObject[])].reverse();
      }),
    },
    {
      name: '$setElementOrder keeps items it does not name near their live neighbours',
      original: deployment(),
      patch: podSpecPatch({
        containers: [{ name: 'api', '$setElementOrder/env': [{ name: 'DB_HOST' }, { name: 'LOG_LEVEL' }], env: [{ name: 'LOG_LEVEL', value: 'debug' }] }],
      }),
      expected: edited(deployment(), (d) => {
        apiContainer(d).env = [
          { name: 'DB_HOST', value: 'db.shop.svc.cluster.local' },
          { name: 'LOG_LEVEL', value: 'debug' },
          { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        ];
      }),
    },
    {
      name: 'directives inside a brand-new item are applied, not stored',
      original: deployment(),
      patch: podSpecPatch({
        '$setElementOrder/containers': [{ name: 'api' }, { name: 'istio-proxy' }, { name: 'worker' }],
        containers: [
          {
            name: 'worker',
            image: 'shop/worker:2.0',
            '$setElementOrder/env': [{ name: 'B' }, { name: 'A' }],
            env: [{ name: 'B', value: '2' }, { name: 'A', value: '1' }, { name: 'C', $patch: 'delete' }],
            resources: { limits: null, requests: { cpu: '50m' } },
          },
        ],
      }),
      expected: edited(deployment(), (d) => {
        const spec = at(d, 'spec', 'template', 'spec');
        spec.containers = [
          ...(spec.containers as JsonObject[]),
          { name: 'worker', image: 'shop/worker:2.0', env: [{ name: 'B', value: '2' }, { name: 'A', value: '1' }], resources: { requests: { cpu: '50m' } } },
        ];
      }),
    },
    {
      name: 'keys that merely start with "$" are ordinary fields',
      original: deployment(),
      patch: { spec: { template: { metadata: { annotations: { $ref: '#/x' } } } } },
      expected: edited(deployment(), (d) => {
        at(d, 'spec', 'template', 'metadata').annotations = { 'sidecar.istio.io/inject': 'true', $ref: '#/x' };
      }),
    },
  ])('$name', ({ original, patch, expected }) => {
    expect(smp(original, patch)).toEqual(expected);
  });
});

describe('strategicMergePatch: rejected patches', () => {
  it.each<{ name: string; original?: KubeObject; patch: JsonObject; code: number; message: string }>([
    {
      name: 'an unknown $patch on a map',
      patch: { spec: { strategy: { $patch: 'erase' } } },
      code: 400,
      message: 'unknown patch type: "erase" in map: {"$patch":"erase"}',
    },
    {
      name: '$patch: merge on a map (kube-apiserver accepts only replace and delete there)',
      patch: { spec: { strategy: { $patch: 'merge', type: 'Recreate' } } },
      code: 400,
      message: 'unknown patch type: "merge" in map: {"$patch":"merge","type":"Recreate"}',
    },
    {
      name: 'an unknown $patch on a list item',
      patch: podSpecPatch({ containers: [{ name: 'api', $patch: 'erase' }] }),
      code: 400,
      message: 'unknown patch type: "erase" in map: {"name":"api","$patch":"erase"}',
    },
    {
      name: '$patch: merge on a list item',
      patch: podSpecPatch({ containers: [{ name: 'api', $patch: 'merge' }] }),
      code: 400,
      message: 'merging lists cannot yet be specified in the patch',
    },
    {
      name: 'a list item without its merge key',
      patch: podSpecPatch({ containers: [{ image: 'nginx:1.26' }] }),
      code: 400,
      message: 'map: {"image":"nginx:1.26"} does not contain declared merge key: name',
    },
    {
      name: '$patch: delete without the merge key',
      original: service(),
      patch: { spec: { ports: [{ name: 'http', $patch: 'delete' }] } },
      code: 400,
      message: 'map: {"name":"http","$patch":"delete"} does not contain declared merge key: port',
    },
    {
      name: 'a $setElementOrder that is not a list',
      patch: podSpecPatch({ '$setElementOrder/containers': { name: 'api' } }),
      code: 400,
      message: 'invalid patch format of setElementOrder list: $setElementOrder/containers must be a list',
    },
    {
      name: 'a $setElementOrder entry without the merge key',
      patch: podSpecPatch({ '$setElementOrder/containers': [{ image: 'x' }] }),
      code: 400,
      message: 'invalid patch format of setElementOrder list: map: {"image":"x"} does not contain declared merge key: name',
    },
    {
      name: 'a patch list item that $setElementOrder leaves out',
      patch: podSpecPatch({ '$setElementOrder/containers': [{ name: 'api' }], containers: [{ name: 'worker', image: 'w' }] }),
      code: 400,
      message:
        'invalid patch format of setElementOrder list: the order in the patch list [{"name":"worker","image":"w"}] doesn\'t match the $setElementOrder list [{"name":"api"}]',
    },
    {
      name: 'a patch list in a different order than $setElementOrder',
      patch: podSpecPatch({
        '$setElementOrder/containers': [{ name: 'api' }, { name: 'istio-proxy' }],
        containers: [{ name: 'istio-proxy', image: 'p' }, { name: 'api', image: 'a' }],
      }),
      code: 400,
      message:
        'invalid patch format of setElementOrder list: the order in the patch list [{"name":"istio-proxy","image":"p"},{"name":"api","image":"a"}] doesn\'t match the $setElementOrder list [{"name":"api"},{"name":"istio-proxy"}]',
    },
    {
      name: 'a $deleteFromPrimitiveList that is not a list',
      patch: { metadata: { '$deleteFromPrimitiveList/finalizers': 'shop.example.com/audit' } },
      code: 400,
      message: 'invalid patch format of primitive list: $deleteFromPrimitiveList/finalizers must be a list',
    },
    {
      name: '$deleteFromPrimitiveList on a list of maps',
      patch: podSpecPatch({ '$deleteFromPrimitiveList/containers': ['api'] }),
      code: 400,
      message: 'invalid patch format of primitive list: $deleteFromPrimitiveList used on a list keyed by "name"',
    },
    {
      name: 'a map inside a list of primitives',
      patch: { metadata: { finalizers: [{ name: 'x' }] } },
      code: 400,
      message: 'invalid patch format of primitive list: {"name":"x"} is not a primitive',
    },
    {
      name: 'a primitive inside a list keyed by name',
      patch: podSpecPatch({ containers: ['api'] }),
      code: 400,
      message: 'the list keyed by "name" may only hold maps, got "api"',
    },
    {
      name: 'a list of lists',
      patch: podSpecPatch({ containers: [[{ name: 'api' }]] }),
      code: 422,
      message: 'lists of lists are not supported',
    },
    {
      name: 'a $retainKeys that is not a list of strings',
      patch: { spec: { strategy: { $retainKeys: 'type', type: 'Recreate' } } },
      code: 400,
      message: 'invalid patch format of retainKeys: "type" must be a list of strings',
    },
    {
      name: 'a patch that sets a key $retainKeys does not keep',
      patch: { spec: { strategy: { $retainKeys: ['type'], type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } } },
      code: 400,
      message: 'invalid patch format of retainKeys: "rollingUpdate" is set but not in ["type"]',
    },
  ])('rejects $name', ({ original = deployment(), patch, code, message }) => {
    const untouched = structuredClone(original);
    expectPatchError(() => smp(original, patch), { code, reason: code === 400 ? 'BadRequest' : 'Invalid', message });
    expect(original).toEqual(untouched);
  });
});

describe('strategicMergePatch: ownership of the result', () => {
  it('never modifies its arguments and shares no objects with them', () => {
    const original = deployment();
    const patch = podSpecPatch({ containers: [{ name: 'worker', image: 'shop/worker:2.0', env: [{ name: 'A', value: '1' }] }] });
    const result = strategicMergePatch(original, patch, strategiesForKind('Deployment'));
    at(result, 'spec', 'template', 'spec', 'containers', 2, 'env', 0).value = 'changed';
    apiContainer(result as KubeObject).image = 'changed';
    at(result, 'metadata').resourceVersion = '1';
    expect(original).toEqual(deployment());
    expect(patch).toEqual(podSpecPatch({ containers: [{ name: 'worker', image: 'shop/worker:2.0', env: [{ name: 'A', value: '1' }] }] }));
  });

  it('returns an empty object when the whole object is deleted', () => {
    expect(smp(deployment(), { $patch: 'delete' })).toEqual({});
  });

  it('replaces the whole object on a top-level $patch: replace', () => {
    expect(smp(deployment(), { $patch: 'replace', metadata: { name: 'api' }, spec: { replicas: 1 } })).toEqual({
      metadata: { name: 'api' },
      spec: { replicas: 1 },
    });
  });
});
