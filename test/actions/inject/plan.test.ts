import { describe, expect, it } from 'vitest';
import { planInjection, planRestarts, type InjectPlan, type NamespaceState, type WorkloadState } from '../../../source/actions/inject/index.js';
import { renderPlan } from '../../../source/actions/plan.js';

// Plans from namespace states as readNamespaceState returns them: no cluster needed.

const pods = (name: string, sidecars: boolean[]) => sidecars.map((sidecar, i) => ({ name: `${name}-7d4b9c8f6d-${i}`, sidecar, ready: true, terminating: false }));
const deploy = (name: string, sidecars: boolean[], templateLabels: Record<string, string> = {}, extra: Partial<WorkloadState> = {}): WorkloadState => ({
  kind: 'Deployment',
  name,
  resourceVersion: `rv-${name}`,
  generation: 3,
  template: { labels: { app: name, ...templateLabels }, manualSidecar: false },
  selector: `app=${name}`,
  pods: pods(name, sidecars),
  ...extra,
});
const state = (labels: Record<string, string>, workloads: WorkloadState[] = [], extra: Partial<NamespaceState> = {}): NamespaceState => ({
  cluster: 'east',
  namespace: 'legacy',
  exists: true,
  resourceVersion: '42',
  labels,
  revision: 'default',
  revisions: ['default'],
  tags: {},
  workloads,
  ...extra,
});
const canary = { revision: '1-24', revisions: ['1-24'] };

const steps = (plan: InjectPlan) => plan.steps.map((s) => `${s.cluster} ${s.verb} ${s.target}${s.diff.length > 0 && s.verb === 'label' ? ` ${s.diff.join(' ')}` : ''}`);
const blocked = (plan: InjectPlan) => plan.blocked.map((b) => `${b.cluster}: ${b.reason}`);
const notes = (plan: InjectPlan) => plan.notes.map((n) => `${n.cluster}: ${n.message}`);

/** The namespace after applying a plan: the labels it sets, and restarted workloads' pods as verified. */
function afterApply(before: NamespaceState, plan: InjectPlan): NamespaceState {
  let labels = { ...before.labels };
  const workloads = before.workloads.map((w) => ({ ...w, pods: [...w.pods] }));
  for (const step of plan.steps.filter((s) => s.cluster === before.cluster)) {
    if (step.verb === 'label') {
      labels = { ...labels, ...step.labels!.set };
      for (const key of step.labels!.remove) delete labels[key];
    }
    if (step.verb === 'restart') {
      const workload = workloads.find((w) => w.name === step.workload!.name)!;
      workload.pods = pods(`${workload.name}-new`, workload.pods.map(() => step.expectSidecar!));
      workload.resourceVersion = `${workload.resourceVersion}+1`;
    }
  }
  return { ...before, labels, workloads };
}

describe('planInjection: enable', () => {
  it.each([
    ['no labels, default revision', state({}), ['east label namespace legacy + istio-injection=enabled']],
    ['no labels, a revision only (canary install)', state({}, [], canary), ['east label namespace legacy + istio.io/rev=1-24']],
    ['istio-injection=disabled, a revision only', state({ 'istio-injection': 'disabled' }, [], canary), ['east label namespace legacy - istio-injection=disabled + istio.io/rev=1-24']],
    ['istio-injection=enabled, but only a revision runs and no default tag', state({ 'istio-injection': 'enabled' }, [], canary), ['east label namespace legacy - istio-injection=enabled + istio.io/rev=1-24']],
    ['istio.io/rev of a revision that is gone', state({ 'istio.io/rev': '1-20' }, [], canary), ['east label namespace legacy - istio.io/rev=1-20 + istio.io/rev=1-24']],
    ['a stale istio.io/rev next to nothing, default revision', state({ 'istio.io/rev': '1-20' }), ['east label namespace legacy - istio.io/rev=1-20 + istio-injection=enabled']],
    ['istio-injection=enabled already', state({ 'istio-injection': 'enabled' }), []],
    ['istio-injection=enabled served by a default tag', state({ 'istio-injection': 'enabled' }, [], { ...canary, tags: { default: '1-24' } }), []],
    ['istio.io/rev of the running revision already', state({ 'istio.io/rev': '1-24' }, [], canary), []],
  ])('%s', (_what, before, expected) => {
    const plan = planInjection([before], { action: 'enable' });
    expect(steps(plan)).toEqual(expected);
    expect(plan.blocked).toEqual([]);
    if (expected.length > 0) expect(plan.steps[0]).toMatchObject({ id: 'east/label-namespace', precondition: { resourceVersion: '42' }, undoable: true });
  });

  it.each([
    ['kube-system', state({}, [], { namespace: 'kube-system' }), 'east: Istio never injects sidecars into kube-system'],
    ['a namespace that does not exist', state({}, [], { exists: false }), 'east: east has no namespace legacy'],
    ['a cluster without Istio', state({}, [], { revision: undefined, revisions: [] }), 'east: east runs no Istio control plane or injector (istiod or istio-sidecar-injector in istio-system): install Istio there first'],
  ])('is blocked for %s', (_what, before, reason) => {
    expect(blocked(planInjection([before], { action: 'enable' }))).toEqual([reason]);
  });

  it('names the workloads that keep running without a sidecar until restarted', () => {
    const plan = planInjection([state({}, [deploy('httpbin', [false]), deploy('sleep', [false, false]), deploy('optout', [false], { 'sidecar.istio.io/inject': 'false' })])], { action: 'enable' });
    expect(notes(plan)).toEqual(['east: the running pods of deployment/httpbin, deployment/sleep get istio-proxy only when they restart (plan with restart, or meshdeck restart -n legacy --missing-sidecar)']);
  });

  it('with restart: label, restart what lacks the sidecar (not what opts out or already has it), then check the new pods', () => {
    const before = state({}, [
      deploy('httpbin', [false]),
      deploy('sleep', [false, true]),
      deploy('done', [true]),
      deploy('optout', [false], { 'sidecar.istio.io/inject': 'false' }),
      { kind: 'Pod', name: 'debug', pods: pods('debug', [false]) },
    ]);
    const plan = planInjection([before], { action: 'enable', restart: true });
    expect(renderPlan(plan)).toEqual([
      'enable sidecar injection in namespace legacy (east)',
      '',
      '1. [east] label namespace legacy',
      '     + istio-injection=enabled',
      '2. [east] restart deployment legacy/httpbin  (cannot be undone)',
      '     ~ spec.template.metadata.annotations["kubectl.kubernetes.io/restartedAt"] (rollout restart)',
      '     - 1 running pod without istio-proxy',
      '     + new pods with istio-proxy',
      '3. [east] restart deployment legacy/sleep  (cannot be undone)',
      '     ~ spec.template.metadata.annotations["kubectl.kubernetes.io/restartedAt"] (rollout restart)',
      '     - 1 running pod without istio-proxy',
      '     + new pods with istio-proxy',
      '4. [east] verify new pods in namespace legacy',
      '       deployment/httpbin: every new pod runs istio-proxy',
      '       deployment/sleep: every new pod runs istio-proxy',
      '',
      'Notes:',
      '  [east] pod legacy/debug (1 pod) has no Deployment, StatefulSet or DaemonSet to restart: delete and recreate it yourself',
    ]);
    expect(plan.steps[1]).toMatchObject({ verb: 'restart', workload: { kind: 'Deployment', name: 'httpbin' }, expectSidecar: true, precondition: { resourceVersion: 'rv-httpbin', generation: 3 }, undoable: false });
    expect(plan.steps[3]).toMatchObject({ verb: 'verify', checks: [{ kind: 'Deployment', name: 'httpbin', expectSidecar: true }, { kind: 'Deployment', name: 'sleep', expectSidecar: true }] });
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
    expect(planInjection([afterApply(before, plan)], { action: 'enable', restart: true }).steps).toEqual([]);
  });

  it('plans every cluster, in the order given, and planning again after apply gives nothing', () => {
    const east = state({}, [deploy('httpbin', [false])]);
    const west = state({}, [deploy('httpbin', [false])], { cluster: 'west', ...canary, resourceVersion: '7' });
    const plan = planInjection([east, west], { action: 'enable', restart: true });
    expect(plan.clusters).toEqual(['east', 'west']);
    expect(plan.title).toBe('enable sidecar injection in namespace legacy (east, west)');
    expect(steps(plan)).toEqual([
      'east label namespace legacy + istio-injection=enabled',
      'east restart deployment legacy/httpbin',
      'east verify new pods in namespace legacy',
      'west label namespace legacy + istio.io/rev=1-24',
      'west restart deployment legacy/httpbin',
      'west verify new pods in namespace legacy',
    ]);
    expect(planInjection([afterApply(east, plan), afterApply(west, plan)], { action: 'enable', restart: true }).steps).toEqual([]);
  });
});

describe('planInjection: disable', () => {
  it.each([
    ['istio-injection=enabled', {}, { 'istio-injection': 'enabled' }, ['east label namespace legacy - istio-injection=enabled']],
    ['both labels', {}, { 'istio-injection': 'enabled', 'istio.io/rev': '1-24' }, ['east label namespace legacy - istio-injection=enabled - istio.io/rev=1-24']],
    ['with setDisabled', { setDisabled: true }, { 'istio-injection': 'enabled' }, ['east label namespace legacy - istio-injection=enabled + istio-injection=disabled']],
    ['with setDisabled, a revision label', { setDisabled: true }, { 'istio.io/rev': '1-24' }, ['east label namespace legacy - istio.io/rev=1-24 + istio-injection=disabled']],
    ['no labels already', {}, {}, []],
    ['istio-injection=disabled already, with setDisabled', { setDisabled: true }, { 'istio-injection': 'disabled' }, []],
  ])('%s', (_what, options, labels, expected) => {
    expect(steps(planInjection([state(labels)], { action: 'disable', ...options }))).toEqual(expected);
  });

  it('with restart: restarts what keeps a sidecar it no longer gets, not what asks for one itself', () => {
    const before = state({ 'istio-injection': 'enabled' }, [deploy('httpbin', [true]), deploy('gateway', [true], { 'sidecar.istio.io/inject': 'true' }), deploy('plain', [false])]);
    const plan = planInjection([before], { action: 'disable', restart: true });
    expect(steps(plan)).toEqual(['east label namespace legacy - istio-injection=enabled', 'east restart deployment legacy/httpbin', 'east verify new pods in namespace legacy']);
    expect(plan.steps[1]!.diff).toEqual(['~ spec.template.metadata.annotations["kubectl.kubernetes.io/restartedAt"] (rollout restart)', '- 1 running pod with istio-proxy', '+ new pods without istio-proxy']);
    expect(planInjection([afterApply(before, plan)], { action: 'disable', restart: true }).steps).toEqual([]);
  });

  it('a missing namespace is nothing to disable, not a reason to block', () => {
    const plan = planInjection([state({}, [], { exists: false })], { action: 'disable' });
    expect([plan.steps, plan.blocked, notes(plan)]).toEqual([[], [], ['east: east has no namespace legacy: nothing to disable there']]);
  });
});

describe('planRestarts', () => {
  it('--missing-sidecar: every workload whose pods lack the sidecar the namespace asks for, per cluster', () => {
    const east = state({ 'istio-injection': 'enabled' }, [deploy('httpbin', [false]), deploy('sleep', [true])]);
    const west = state({}, [deploy('httpbin', [false])], { cluster: 'west' });
    const plan = planRestarts([east, west], { missingSidecar: true });
    expect(plan.title).toBe('restart the workloads of legacy that lack istio-proxy (east, west)');
    expect(steps(plan)).toEqual(['east restart deployment legacy/httpbin', 'east verify new pods in namespace legacy']);
    expect(planRestarts([afterApply(east, plan), west], { missingSidecar: true }).steps).toEqual([]);
  });

  it('says when the namespace asks for a revision no injector serves (restarts would not help)', () => {
    const plan = planRestarts([state({ 'istio.io/rev': '1-20' }, [deploy('httpbin', [false])], canary)], { missingSidecar: true });
    expect([steps(plan), notes(plan)]).toEqual([[], ['east: legacy asks for revision 1-20, which no injector in east serves (installed: 1-24): restarts would bring no sidecars']]);
  });

  it('one workload: restarted when its pods differ from what injection gives, else a note (or forced)', () => {
    const before = state({ 'istio-injection': 'enabled' }, [deploy('httpbin', [false]), deploy('sleep', [true])]);
    expect(steps(planRestarts([before], { workload: { name: 'httpbin' } }))).toEqual(['east restart deployment legacy/httpbin', 'east verify new pods in namespace legacy']);
    const quiet = planRestarts([before], { workload: { name: 'sleep' } });
    expect([steps(quiet), notes(quiet)]).toEqual([[], ['east: the pods of deployment legacy/sleep in east already run istio-proxy, as legacy\'s labels ask (istio-injection=enabled): nothing to restart']]);
    const forced = planRestarts([before], { workload: { name: 'sleep' }, force: true });
    expect(forced.steps[0]!.diff[1]).toBe('- 1 pod already as wanted (restart forced)');
  });

  it('finds a StatefulSet or DaemonSet by name when no Deployment has it', () => {
    const db: WorkloadState = { ...deploy('db', [false]), kind: 'StatefulSet' };
    expect(steps(planRestarts([state({ 'istio-injection': 'enabled' }, [db])], { workload: { name: 'db' } }))).toEqual(['east restart statefulset legacy/db', 'east verify new pods in namespace legacy']);
  });

  it.each([
    ['a workload no cluster has', { name: 'nosuch' }, [], 'east: east has no deployment legacy/nosuch'],
    ['a bare pod', { name: 'debug' }, [{ kind: 'Pod' as const, name: 'debug', pods: pods('debug', [false]) }], 'east: pod legacy/debug in east cannot be restarted: only Deployments, StatefulSets and DaemonSets roll out new pods; delete its pods so that their owner recreates them'],
    ['a StatefulSet with updateStrategy OnDelete', { name: 'db' }, [{ ...deploy('db', [false]), kind: 'StatefulSet' as const, onDelete: true }], 'east: statefulset legacy/db in east has updateStrategy OnDelete: a rollout restart replaces no pod; delete its pods one by one instead'],
  ])('is blocked for %s', (_what, workload, workloads, reason) => {
    expect(blocked(planRestarts([state({ 'istio-injection': 'enabled' }, workloads)], { workload }))).toEqual([reason]);
  });

  it('a workload found in one cluster only: the others get a note', () => {
    const plan = planRestarts([state({ 'istio-injection': 'enabled' }, [deploy('httpbin', [false])]), state({}, [], { cluster: 'west' })], { workload: { name: 'httpbin' } });
    expect([plan.blocked, notes(plan)]).toEqual([[], ['west: west has no httpbin in legacy: nothing to restart there']]);
  });

  it('needs either a workload or missingSidecar', () => {
    expect(() => planRestarts([state({})], {})).toThrow(TypeError);
    expect(() => planRestarts([state({})], { missingSidecar: true, workload: { name: 'x' } })).toThrow(TypeError);
  });
});
