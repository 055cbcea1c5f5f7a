import { describe, expect, it } from 'vitest';
import type { JsonObject, KubeObject } from '../../../source/sim/objects.js';
import { DAY, HOUR, MINUTE, ago, cells, headers, table } from './fixtures.js';

const running = (since: number): JsonObject => ({ running: { startedAt: ago(since) } });

function pod(name: string, created: number, spec: JsonObject, status: JsonObject, meta: JsonObject = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'bookinfo', uid: `uid-${name}`, creationTimestamp: ago(created), labels: { app: 'reviews' }, ...meta },
    spec: { nodeName: 'worker-1', ...spec },
    status: { podIP: '10.244.1.7', podIPs: [{ ip: '10.244.1.7' }], ...status },
  };
}

const appAndProxy = {
  initContainers: [{ name: 'istio-init', image: 'docker.io/istio/proxyv2:1.24.2' }],
  containers: [
    { name: 'reviews', image: 'docker.io/istio/examples-bookinfo-reviews-v1:1.20.2' },
    { name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.24.2' },
  ],
};

const initDone = {
  name: 'istio-init',
  ready: true,
  restartCount: 0,
  state: { terminated: { exitCode: 0, reason: 'Completed', finishedAt: ago(200) } },
};

const conditions = (ready: boolean) => [
  { type: 'Initialized', status: 'True' },
  { type: 'Ready', status: ready ? 'True' : 'False' },
  { type: 'PodScheduled', status: 'True' },
];

const cases: Array<{ title: string; pod: KubeObject; expected: unknown[] }> = [
  {
    title: 'running pod with an istio-proxy sidecar',
    pod: pod('reviews-v1-7d8f9c6b5-x2x9k', 3 * MINUTE + 20, appAndProxy, {
      phase: 'Running',
      conditions: conditions(true),
      initContainerStatuses: [initDone],
      containerStatuses: [
        { name: 'reviews', ready: true, restartCount: 0, state: running(190) },
        { name: 'istio-proxy', ready: true, restartCount: 0, state: running(195) },
      ],
    }),
    expected: ['reviews-v1-7d8f9c6b5-x2x9k', '2/2', 'Running', '0', '3m20s', '10.244.1.7', 'worker-1', '<none>', '<none>'],
  },
  {
    title: 'application container in CrashLoopBackOff',
    pod: pod('ratings-v1-5b8f9c7d4-qq7zt', 2 * DAY + 3 * HOUR, appAndProxy, {
      phase: 'Running',
      conditions: conditions(false),
      initContainerStatuses: [initDone],
      containerStatuses: [
        {
          name: 'reviews',
          ready: false,
          restartCount: 5,
          state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 2m40s restarting failed container' } },
          lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(5 * MINUTE) } },
        },
        { name: 'istio-proxy', ready: true, restartCount: 0, state: running(2 * DAY) },
      ],
    }),
    expected: ['ratings-v1-5b8f9c7d4-qq7zt', '1/2', 'CrashLoopBackOff', '5 (5m ago)', '2d3h', '10.244.1.7', 'worker-1', '<none>', '<none>'],
  },
  {
    title: 'init container still running',
    pod: pod('details-v1-6f9c8-abcde', 8, appAndProxy, {
      phase: 'Pending',
      conditions: [{ type: 'Initialized', status: 'False' }, { type: 'PodScheduled', status: 'True' }],
      initContainerStatuses: [{ name: 'istio-init', ready: false, restartCount: 0, state: running(3) }],
      containerStatuses: [
        { name: 'reviews', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } },
        { name: 'istio-proxy', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } },
      ],
    }),
    expected: ['details-v1-6f9c8-abcde', '0/2', 'Init:0/1', '0', '8s', '10.244.1.7', 'worker-1', '<none>', '<none>'],
  },
  {
    title: 'init container crash-looping counts its restarts',
    pod: pod('details-v1-6f9c8-fghij', 10 * MINUTE, appAndProxy, {
      phase: 'Pending',
      initContainerStatuses: [
        {
          name: 'istio-init',
          ready: false,
          restartCount: 3,
          state: { waiting: { reason: 'CrashLoopBackOff' } },
          lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(45) } },
        },
      ],
    }),
    expected: ['details-v1-6f9c8-fghij', '0/2', 'Init:CrashLoopBackOff', '3 (45s ago)', '10m', '10.244.1.7', 'worker-1', '<none>', '<none>'],
  },
  {
    title: 'native sidecar (restartable init container) counts towards READY',
    pod: pod('productpage-v1-1', 45 * DAY, {
      initContainers: [{ name: 'istio-proxy', image: 'proxyv2', restartPolicy: 'Always' }],
      containers: [{ name: 'productpage', image: 'productpage' }],
    }, {
      phase: 'Running',
      conditions: conditions(true),
      initContainerStatuses: [{ name: 'istio-proxy', ready: true, started: true, restartCount: 1, state: running(DAY), lastState: { terminated: { exitCode: 137, finishedAt: ago(DAY) } } }],
      containerStatuses: [{ name: 'productpage', ready: true, restartCount: 0, state: running(DAY) }],
    }),
    expected: ['productpage-v1-1', '2/2', 'Running', '1 (24h ago)', '45d', '10.244.1.7', 'worker-1', '<none>', '<none>'],
  },
  {
    title: 'pod being deleted',
    pod: pod('reviews-v2-old', 10 * HOUR, appAndProxy, {
      phase: 'Running',
      conditions: conditions(true),
      containerStatuses: [
        { name: 'reviews', ready: true, restartCount: 0, state: running(HOUR) },
        { name: 'istio-proxy', ready: true, restartCount: 0, state: running(HOUR) },
      ],
    }, { deletionTimestamp: ago(5) }),
    expected: ['reviews-v2-old', '2/2', 'Terminating', '0', '10h', '10.244.1.7', 'worker-1', '<none>', '<none>'],
  },
  {
    title: 'completed job pod, unscheduled fields and readiness gates',
    pod: {
      metadata: { name: 'migrate-x7k2p', namespace: 'bookinfo', creationTimestamp: ago(2 * MINUTE) },
      spec: { containers: [{ name: 'migrate' }], readinessGates: [{ conditionType: 'example.com/ready' }] },
      status: {
        phase: 'Succeeded',
        conditions: [{ type: 'example.com/ready', status: 'True' }],
        containerStatuses: [{ name: 'migrate', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }],
      },
    },
    expected: ['migrate-x7k2p', '0/1', 'Completed', '0', '2m', '<none>', '<none>', '<none>', '1/1'],
  },
  {
    title: 'container killed without a reason',
    pod: pod('oom-1', 30, { containers: [{ name: 'a' }] }, {
      phase: 'Running',
      containerStatuses: [{ name: 'a', ready: false, restartCount: 0, state: { terminated: { exitCode: 137 } } }],
    }),
    expected: ['oom-1', '0/1', 'ExitCode:137', '0', '30s', '10.244.1.7', 'worker-1', '<none>', '<none>'],
  },
];

describe('pod table', () => {
  it('has the kubectl columns, wide ones at priority 1', () => {
    const result = table('', 'Pod', []);
    expect(headers(result)).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    expect(headers(result, true)).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES']);
  });

  it.each(cases)('$title', ({ pod: item, expected }) => {
    expect(cells(table('', 'Pod', [item]))).toEqual(expected);
  });

  it('marks finished pods with a Completed row condition', () => {
    const result = table('', 'Pod', [cases[6]!.pod]);
    const row = (result.rows as unknown as Array<{ conditions?: unknown }>)[0]!;
    expect(row.conditions).toEqual([{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }]);
  });
});
