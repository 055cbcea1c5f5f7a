import { SimCluster } from './cluster/sim-cluster.js';
import { clusterName } from './cluster/cluster-names.js';
import { renderKubeconfig, writeKubeconfig } from './cluster/kubeconfig.js';
import { makeServingCertificate, type ServingCertificate } from './tls.js';
import { findScenario, type Scenario } from './scenarios/scenarios.js';
import { FaultController } from './faults/fault-controller.js';
import { startFaultAdmin, type FaultAdminServer } from './faults/admin-server.js';
import { registerEnvoyLogs } from './logs/envoy-access-log.js';
import { proxyTrustProblem } from './istio/trust.js';

export interface MeshSimOptions {
  clusters: number;
  podsPerCluster: number;
  scenario?: string;
  latencyMs?: number;
  podStartDelayMs?: number;
  /** Pods per Deployment of the `podsPerCluster` workloads (default 10, fewer for small clusters); 1 gives one workload row per pod. */
  replicasPerWorkload?: number;
  bookmarkIntervalMs?: number;
  logIntervalMs?: number;
  /** Lines per second each istio-proxy container logs (default 1). */
  proxyLogLinesPerSecond?: number;
  /** Serve the fault-injection endpoint on this loopback port (0: any free port); unset, it is not served. */
  adminPort?: number;
  /**
   * Opt-out: the simulated istiod answers /debug through the API server's service proxy without
   * authentication. By default it answers 401 there, as istiod does, and serves /debug through pods/portforward.
   */
  istiodDebugThroughProxy?: boolean;
  warn?: (message: string) => void;
}

/** Several simulated clusters started together, with one kubeconfig that reaches all of them. */
export class MeshSim {
  readonly clusters: SimCluster[] = [];
  readonly certificate: ServingCertificate;
  readonly scenario: Scenario;
  /** Fault injection for every cluster (also reachable over HTTP when `adminPort` is set). */
  readonly faults: FaultController;
  private admin: FaultAdminServer | undefined;

  private constructor(options: MeshSimOptions) {
    this.scenario = findScenario(options.scenario ?? 'plain');
    this.certificate = makeServingCertificate();
    this.faults = new FaultController(() => this.clusters);
    this.faults.setLatency(options.latencyMs ?? 0);
  }

  static async start(options: MeshSimOptions): Promise<MeshSim> {
    const sim = new MeshSim(options);
    const count = sim.scenario.clusterCount ?? options.clusters;
    try {
      for (let index = 0; index < count; index++) {
        const name = clusterName(index);
        const cluster = new SimCluster({
          name,
          index,
          certificate: sim.certificate,
          gate: sim.faults.gate(name),
          // Seeding runs with instant pod start; the configured delay applies to what comes later.
          podStartDelayMs: 0,
          ...(options.bookmarkIntervalMs !== undefined ? { bookmarkIntervalMs: options.bookmarkIntervalMs } : {}),
          ...(options.logIntervalMs !== undefined ? { logIntervalMs: options.logIntervalMs } : {}),
          ...(options.warn ? { warn: options.warn } : {}),
          ...(options.istiodDebugThroughProxy ? { istiodDebugThroughProxy: true } : {}),
        });
        sim.clusters.push(cluster);
        sim.faults.attach(cluster);
        // Before seeding, so a scenario can reconfigure it (encoding, certificate problems).
        // Proxies whose certificates cannot be trusted log the real symptom (x509 ... unknown authority) instead of traffic.
        registerEnvoyLogs(cluster, {
          ...(options.proxyLogLinesPerSecond !== undefined ? { linesPerSecond: options.proxyLogLinesPerSecond } : {}),
          problemFor: (pod) => proxyTrustProblem(cluster, pod),
        });
        await cluster.listen();
      }
      sim.scenario.seed(sim.clusters, { podsPerCluster: options.podsPerCluster, ...(options.replicasPerWorkload !== undefined ? { replicasPerWorkload: options.replicasPerWorkload } : {}) });
      for (const cluster of sim.clusters) {
        cluster.settle();
        cluster.kubelet.setStartDelay(options.podStartDelayMs ?? 1000);
      }
      if (options.adminPort !== undefined) sim.admin = await startFaultAdmin(sim.faults, options.adminPort);
    } catch (error) {
      await sim.stop();
      throw error;
    }
    return sim;
  }

  cluster(name: string): SimCluster {
    const found = this.clusters.find((c) => c.name === name);
    if (!found) throw new Error(`no simulated cluster named ${name}`);
    return found;
  }

  /** Delays every API request of every cluster. */
  setLatency(ms: number): void {
    this.faults.setLatency(ms);
  }

  /** The fault-injection endpoint (http://127.0.0.1:PORT), when it is served. */
  adminAddress(): string | undefined {
    return this.admin?.address;
  }

  kubeconfig(): string {
    return renderKubeconfig(
      this.clusters.map((c) => ({ name: c.name, server: c.address(), token: c.adminToken })),
      this.certificate.caCertPem,
    );
  }

  writeKubeconfig(path: string): void {
    writeKubeconfig(path, this.kubeconfig());
  }

  async stop(): Promise<void> {
    await this.admin?.close();
    await Promise.all(this.clusters.map((c) => c.shutdown()));
  }
}
