import type { CockpitSource } from '../ui/source.js';
import type { ClusterSnapshot } from '../kube/cluster-session.js';
import type { ContextEntry } from '../kube/kubeconfig.js';
import type { MeshSession } from '../kube/mesh-session.js';
import type { KubeObject } from '../kube/types.js';
import type { PaneId } from '../ui/views/registry.js';
import { describeCluster, describeGateway, describeService, describeWorkload } from '../mesh/describe.js';
import type { ActionRequest, ActionService, CaWizardService, LogHandle } from '../ui/source.js';
import { injectionActionService } from './injection-action-service.js';
import { joinWizardService } from './join-wizard-service.js';
import { portsEditorService, type PortsEditorService } from './ports-editor-service.js';
import type { JoinWizardService } from '../actions/join/wizard.js';
import { caWizardService } from './ca-wizard-service.js';
import { openWorkloadLogs, saveLinesToNewFile } from './log-view-source.js';

const EMPTY = new Map<string, KubeObject>();

function placeholder(name: string, server: string): ClusterSnapshot {
  const empty = { version: 0, items: EMPTY };
  return { name, server, state: 'connecting', kinds: { namespaces: empty, pods: empty, deployments: empty, services: empty, istioConfigMaps: empty, remoteSecrets: empty, gateways: empty } };
}

/**
 * Feeds the cockpit. The first frame is drawn from placeholders while the Kubernetes client loads
 * (importing it takes longer than the first frame may), then the live session takes over.
 */
export class LazyCockpitSource implements CockpitSource {
  private session: MeshSession | undefined;
  private readonly listeners = new Set<() => void>();
  private revision = 0;
  private unsubscribe = () => {};
  private stopped = false;
  private readonly logHandles = new Set<LogHandle>();

  constructor(
    private readonly contexts: ContextEntry[],
    readonly readonly = false,
  ) {}

  async start(): Promise<void> {
    const { MeshSession } = await import('../kube/mesh-session.js');
    const session = await MeshSession.open(this.contexts);
    if (this.stopped) return;
    this.session = session;
    this.unsubscribe = this.session.subscribe(() => this.bump());
    this.session.start();
    this.bump();
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe();
    for (const handle of this.logHandles) handle.stop();
    this.logHandles.clear();
    this.session?.stop();
  }

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getRevision = () => this.revision;

  snapshot(): ClusterSnapshot[] {
    return this.session?.snapshot() ?? this.contexts.map((c) => placeholder(c.name, String((c.cluster['cluster'] as Record<string, unknown> | undefined)?.['server'] ?? '')));
  }

  async describe(pane: PaneId, rowKey: string): Promise<string[]> {
    if (pane === 'services') return describeService(this.snapshot(), rowKey);
    const clusterName = rowKey.split('/')[0]!;
    const snapshot = this.snapshot().find((s) => s.name === clusterName);
    const cluster = this.session?.cluster(clusterName);
    if (!snapshot) return [`cluster ${clusterName} is not in this session`];
    if (pane === 'clusters') return describeCluster(snapshot, Date.now());
    const [, namespace, kind, name] = rowKey.split('/');
    const fetch = async (path: string): Promise<KubeObject | undefined> => {
      try {
        return cluster ? (JSON.parse(await cluster.getRaw(path)) as KubeObject) : undefined;
      } catch {
        return undefined;
      }
    };
    if (pane === 'gateways') {
      const deployment = await fetch(`/apis/apps/v1/namespaces/${namespace}/deployments/${name}`);
      const service = await fetch(`/api/v1/namespaces/${namespace}/services/${name}`);
      return describeGateway(snapshot, rowKey, { ...(deployment ? { deployment } : {}), ...(service ? { service } : {}) });
    }
    const path = kind === 'Deployment' ? `/apis/apps/v1/namespaces/${namespace}/deployments/${name}` : kind === 'Pod' ? `/api/v1/namespaces/${namespace}/pods/${name}` : undefined;
    const object = path ? await fetch(path) : undefined;
    return describeWorkload(snapshot, rowKey, object ? { object } : {});
  }

  openLogs(pane: PaneId, rowKey: string): LogHandle | { error: string } {
    if (!this.session) return { error: 'still connecting; try again in a moment' };
    if (pane === 'clusters') return { error: 'select a workload or gateway to follow its logs' };
    const handle = openWorkloadLogs(this.session, rowKey);
    if ('error' in handle) return handle;
    // Its follows are requests of their own, outside the session: left open they kept meshdeck running after quit.
    this.logHandles.add(handle);
    const stop = handle.stop.bind(handle);
    return {
      ...handle,
      stop: () => {
        this.logHandles.delete(handle);
        stop();
      },
    };
  }

  saveLines(path: string, lines: string[]): Promise<string> {
    return saveLinesToNewFile(path, lines);
  }

  private wizard: CaWizardService | undefined;

  private ports: PortsEditorService | undefined;

  portsEditor(): PortsEditorService {
    this.ports ??= portsEditorService(this.contexts, process.env);
    return this.ports;
  }

  private join: JoinWizardService | undefined;

  joinWizard(): JoinWizardService {
    this.join ??= joinWizardService(this.contexts);
    return this.join;
  }

  action(request: ActionRequest): ActionService {
    return injectionActionService(this.contexts, request, process.env);
  }

  caWizard(): CaWizardService {
    this.wizard ??= caWizardService(this.contexts, process.env);
    return this.wizard;
  }

  private bump(): void {
    this.revision++;
    for (const listener of this.listeners) listener();
  }
}
