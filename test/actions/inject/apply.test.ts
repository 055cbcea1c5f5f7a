import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSim, type TestSim } from '../../helpers/sim.js';
import { kubectl } from '../../helpers/kubectl.js';
import { connectContexts } from '../../../source/actions/ca/connect.js';
import { kubeconfigFiles, loadKubeconfig } from '../../../source/kube/kubeconfig.js';
import {
  applyInjectionPlan,
  InjectPlanBlockedError,
  planInjection,
  planRestarts,
  readNamespaceState,
  verifyNamespace,
  type InjectProgress,
  type KubeApi,
} from '../../../source/actions/inject/index.js';

// The engine against the broken scenario: `legacy` in east was labelled for injection after its pods
// started, so httpbin and sleep run without istio-proxy. central is a second primary.

const FAST = { rolloutMs: 20_000, podsMs: 10_000, pollMs: 50 };

const WEB = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop2
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
`;

describe('injection engine against the simulator (broken scenario)', () => {
  let t: TestSim;
  let apis: Map<string, KubeApi>;
  const api = (cluster: string) => apis.get(cluster)!;
  const read = (cluster: string, namespace: string) => readNamespaceState(cluster, api(cluster), namespace);
  const containers = async (context: string, namespace: string) => {
    const out = await kubectl(t.kubeconfigPath, ['--context', context, 'get', 'pods', '-n', namespace, '-o', 'jsonpath={range .items[*]}{.metadata.labels.app}={.spec.containers[*].name};{end}']);
    return out.stdout.split(';').filter(Boolean).sort();
  };

  beforeAll(async () => {
    t = await startTestSim({ scenario: 'broken' });
    apis = await connectContexts(loadKubeconfig(kubeconfigFiles(t.kubeconfigPath, {})).contexts);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('reads a namespace: labels, resourceVersion, the revision, workloads and their pods', async () => {
    const state = await read('east', 'legacy');
    expect(state).toMatchObject({ cluster: 'east', namespace: 'legacy', exists: true, labels: { 'istio-injection': 'enabled' }, revision: 'default', revisions: ['default'], tags: {} });
    expect(state.resourceVersion).toMatch(/^\d+$/);
    expect(state.workloads.map((w) => `${w.kind}/${w.name} ${w.selector} ${w.pods.map((p) => p.sidecar).join(',')}`)).toEqual(['Deployment/httpbin app=httpbin,version=v1 false', 'Deployment/sleep app=sleep false']);
    expect(await read('west', 'legacy')).toMatchObject({ exists: false, revision: 'default', workloads: [] });
  });

  it('restarts what lacks a sidecar, reports progress step by step, and the new pods run istio-proxy', async () => {
    expect(await containers('east', 'legacy')).toEqual(['httpbin=httpbin', 'sleep=sleep']);
    const plan = planRestarts([await read('east', 'legacy')], { missingSidecar: true });
    expect(plan.steps.map((s) => s.id)).toEqual(['east/restart-deployment-httpbin', 'east/restart-deployment-sleep', 'east/verify-sidecars']);
    const events: InjectProgress[] = [];
    const result = await applyInjectionPlan(plan, { api, timeouts: FAST, onProgress: (e) => events.push(e) });
    expect(result.ok, JSON.stringify(result.steps)).toBe(true);
    expect(result.steps.map((s) => `${s.status} ${s.message}`)).toEqual([
      'done restarted deployment legacy/httpbin in east; the rollout is complete',
      'done restarted deployment legacy/sleep in east; the rollout is complete',
      'done east: the new pods of deployment/httpbin (1), deployment/sleep (1) run istio-proxy',
    ]);
    const firstAndLast = events.filter((e) => !e.waiting).map((e) => `${e.stepId} ${e.state}`);
    expect(firstAndLast).toEqual([
      'east/restart-deployment-httpbin running',
      'east/restart-deployment-httpbin done',
      'east/restart-deployment-sleep running',
      'east/restart-deployment-sleep done',
      'east/verify-sidecars running',
      'east/verify-sidecars done',
    ]);
    expect(await containers('east', 'legacy')).toEqual(['httpbin=httpbin istio-proxy', 'sleep=sleep istio-proxy']);
    const after = await read('east', 'legacy');
    expect(planRestarts([after], { missingSidecar: true }).steps).toEqual([]);
    expect(verifyNamespace(after, 'enabled')).toEqual([{ cluster: 'east', severity: 'info', message: 'legacy in east: injection on (istio-injection=enabled); every running pod matches' }]);
  });

  it('enables a new namespace in two clusters one at a time, with restarts, and planning again finds nothing', async () => {
    for (const context of ['east', 'central']) {
      const ns = await kubectl(t.kubeconfigPath, ['--context', context, 'create', 'namespace', 'shop2']);
      expect(ns.code, ns.stderr).toBe(0);
      const web = await kubectl(t.kubeconfigPath, ['--context', context, 'apply', '-f', '-'], WEB);
      expect(web.code, web.stderr).toBe(0);
    }
    const planned = await waitForPods(() => Promise.all(['east', 'central'].map((c) => read(c, 'shop2'))), 2);
    const plan = planInjection(planned, { action: 'enable', restart: true });
    expect(plan.steps.map((s) => s.id)).toEqual(['east/label-namespace', 'east/restart-deployment-web', 'east/verify-sidecars', 'central/label-namespace', 'central/restart-deployment-web', 'central/verify-sidecars']);
    const order: string[] = [];
    const result = await applyInjectionPlan(plan, { api, timeouts: FAST, onProgress: (e) => e.state === 'done' && order.push(e.stepId) });
    expect(result.ok, JSON.stringify(result.steps)).toBe(true);
    expect(order).toEqual(plan.steps.map((s) => s.id));
    for (const context of ['east', 'central']) expect(await containers(context, 'shop2')).toEqual(['web=nginx istio-proxy', 'web=nginx istio-proxy']);
    expect(planInjection(await Promise.all(['east', 'central'].map((c) => read(c, 'shop2'))), { action: 'enable', restart: true }).steps).toEqual([]);
  });

  it('a restart goes ahead when only status or metadata moved since planning, not when the spec did', async () => {
    const plan = async () => planRestarts([await read('east', 'shop2')], { workload: { name: 'web' }, force: true });
    const first = await plan();
    expect(first.steps[0]!.precondition).toEqual({ resourceVersion: expect.stringMatching(/^\d+$/), generation: expect.any(Number) });
    expect((await kubectl(t.kubeconfigPath, ['--context', 'east', 'annotate', 'deployment', 'web', '-n', 'shop2', 'team=payments'])).code).toBe(0);
    const moved = await applyInjectionPlan(first, { api, timeouts: FAST });
    expect(moved.steps.map((s) => s.status)).toEqual(['done', 'done']);
    const second = await plan();
    expect((await kubectl(t.kubeconfigPath, ['--context', 'east', 'scale', 'deployment', 'web', '-n', 'shop2', '--replicas=3'])).code).toBe(0);
    const changed = await applyInjectionPlan(second, { api, timeouts: FAST });
    expect(changed.steps.map((s) => `${s.status} ${s.message}`)).toEqual(['failed deployment shop2/web in east changed since the plan was made; plan again and review it', 'skipped skipped: an earlier step failed']);
  });

  it('touches nothing changed since planning: the step fails, every later step (in every cluster) is skipped', async () => {
    const plan = planInjection(await Promise.all(['east', 'central'].map((c) => read(c, 'shop2'))), { action: 'disable', restart: true });
    expect(plan.steps.map((s) => s.verb)).toEqual(['label', 'restart', 'verify', 'label', 'restart', 'verify']);
    expect((await kubectl(t.kubeconfigPath, ['--context', 'east', 'label', 'namespace', 'shop2', 'team=payments'])).code).toBe(0);
    const result = await applyInjectionPlan(plan, { api, timeouts: FAST });
    expect(result.ok).toBe(false);
    expect(result.steps.map((s) => `${s.id} ${s.status}`)).toEqual([
      'east/label-namespace failed',
      'east/restart-deployment-web skipped',
      'east/verify-sidecars skipped',
      'central/label-namespace skipped',
      'central/restart-deployment-web skipped',
      'central/verify-sidecars skipped',
    ]);
    expect(result.steps[0]!.message).toBe('namespace shop2 in east changed since the plan was made; plan again and review it');
    for (const context of ['east', 'central']) {
      const labels = await kubectl(t.kubeconfigPath, ['--context', context, 'get', 'namespace', 'shop2', '-o', 'jsonpath={.metadata.labels.istio-injection}']);
      expect(labels.stdout).toBe('enabled');
    }
  });

  it('disables with --set-disabled and restarts, so the new pods run without istio-proxy', async () => {
    const plan = planInjection([await read('central', 'shop2')], { action: 'disable', setDisabled: true, restart: true });
    const result = await applyInjectionPlan(plan, { api, timeouts: FAST });
    expect(result.ok, JSON.stringify(result.steps)).toBe(true);
    expect(result.steps.at(-1)!.message).toBe('central: the new pods of deployment/web (2) run without istio-proxy');
    expect(await containers('central', 'shop2')).toEqual(['web=nginx', 'web=nginx']);
    const labels = await kubectl(t.kubeconfigPath, ['--context', 'central', 'get', 'namespace', 'shop2', '-o', 'jsonpath={.metadata.labels.istio-injection}']);
    expect(labels.stdout).toBe('disabled');
  });

  it('refuses a blocked plan', async () => {
    const plan = planInjection([await read('west', 'legacy')], { action: 'enable' });
    await expect(applyInjectionPlan(plan, { api })).rejects.toBeInstanceOf(InjectPlanBlockedError);
  });
});

/** Reads until every workload has `count` pods (kubectl apply returns before they exist). */
async function waitForPods<T extends { workloads: { pods: unknown[] }[] }>(read: () => Promise<T[]>, count: number): Promise<T[]> {
  for (let i = 0; i < 100; i++) {
    const states = await read();
    if (states.every((s) => s.workloads.length > 0 && s.workloads.every((w) => w.pods.length === count))) return states;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('pods did not appear');
}
