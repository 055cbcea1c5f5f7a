import { describe, expect, it } from 'vitest';
import { CockpitModelStore } from '../../source/ui/model-store.js';
import type { CockpitSource } from '../../source/ui/source.js';
import type { ClusterSnapshot } from '../../source/kube/cluster-session.js';
import type { KubeObject } from '../../source/kube/types.js';
import { deploymentPod, namespace, NOW, snapshot } from '../helpers/snapshot.js';

const sample = namespace('sample', { 'istio-injection': 'enabled' });

/** A source whose data the test replaces; it notifies like the session does. */
function fakeSource(pods: KubeObject[]) {
  let revision = 1;
  let snapshots: ClusterSnapshot[] = [snapshot({ name: 'east', objects: { pods, namespaces: [sample] } })];
  const listeners = new Set<() => void>();
  const source = {
    subscribe: (listener: () => void) => (listeners.add(listener), () => listeners.delete(listener)),
    getRevision: () => revision,
    snapshot: () => snapshots,
  } as unknown as CockpitSource;
  return {
    source,
    replace(next: KubeObject[]) {
      revision++;
      snapshots = [snapshot({ name: 'east', objects: { pods: next, namespaces: [sample] }, versions: { pods: revision } })];
      for (const listener of listeners) listener();
    },
  };
}

const pods = (extraLabel?: string, readyB = true) => [
  deploymentPod('cart', 'a', { namespace: 'sample', containers: ['app', 'istio-proxy'], labels: extraLabel ? { round: extraLabel } : {} }),
  deploymentPod('cart', 'b', { namespace: 'sample', containers: ['app', 'istio-proxy'], ready: readyB }),
];

describe('CockpitModelStore', () => {
  it('tells listeners only about a model that shows something new', () => {
    const data = fakeSource(pods());
    const store = new CockpitModelStore(data.source, { now: () => NOW });
    const first = store.getModel();
    let heard = 0;
    store.subscribe(() => heard++);

    // A label no pane shows: derived again, nothing new, no render.
    data.replace(pods('1'));
    store.refresh();
    expect(heard).toBe(0);
    expect(store.getModel()).toBe(first);

    // The clock moved but no cluster row reads differently.
    store.refresh();
    expect(heard).toBe(0);

    // A pod stops being ready: the workload row says 1/2.
    data.replace(pods('1', false));
    store.refresh();
    expect(heard).toBe(1);
    expect(store.getModel().workloads.map((w) => `${w.name} ${w.ready}/${w.total}`)).toEqual(['cart 1/2']);
    expect(store.getModel().clusters).toBe(first.clusters);
  });
});
