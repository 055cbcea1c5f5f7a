import { SimCluster } from './cluster/sim-cluster.js';
import { clusterName } from './cluster/cluster-names.js';
import { renderKubeconfig, writeKubeconfig } from './cluster/kubeconfig.js';
import { makeServingCertificate, type ServingCertificate } from './tls.js';
import { findScenario, type Scenario } from './scenarios/scenarios.js';
import type { RequestGate } from './api/http-server.js';

export interface MeshSimOptions {
  clusters: number;
  podsPerCluster: number;
  scenario?: string;
  latencyMs?: number;
  podStartDelayMs?: number;
  bookmarkIntervalMs?: number;
  logIntervalMs?: number;
  warn?: (message: string) => void;
}

/** Several simulated clusters started together, with one kubeconfig that reaches all of them. */
export class MeshSim {
  readonly clusters: SimCluster[] = [];
  readonly certificate: ServingCertificate;
  readonly scenario: Scenario;
  private latencyMs: number;

  private constructor(private readonly options: MeshSimOptions) {
    this.scenario = findScenario(options.scenario ?? 'plain');
    this.certificate = makeServingCertificate();
    this.latencyMs = options.latencyMs ?? 0;
  }

  static async start(options: MeshSimOptions): Promise<MeshSim> {
    const sim = new MeshSim(options);
    const count = sim.scenario.clusterCount ?? options.clusters;
    const gate: RequestGate = async () => {
      if (sim.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, sim.latencyMs));
      return undefined;
    };
    try {
      for (let index = 0; index < count; index++) {
        const cluster = new SimCluster({
          name: clusterName(index),
          index,
          certificate: sim.certificate,
          gate,
          // Seeding runs with instant pod start; the configured delay applies to what comes later.
          podStartDelayMs: 0,
          ...(options.bookmarkIntervalMs !== undefined ? { bookmarkIntervalMs: options.bookmarkIntervalMs } : {}),
          ...(options.logIntervalMs !== undefined ? { logIntervalMs: options.logIntervalMs } : {}),
          ...(options.warn ? { warn: options.warn } : {}),
        });
        sim.clusters.push(cluster);
        await cluster.listen();
      }
      sim.scenario.seed(sim.clusters, { podsPerCluster: options.podsPerCluster });
      for (const cluster of sim.clusters) {
        cluster.settle();
        cluster.kubelet.setStartDelay(options.podStartDelayMs ?? 1000);
      }
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

  setLatency(ms: number): void {
    this.latencyMs = ms;
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
    await Promise.all(this.clusters.map((c) => c.shutdown()));
  }
}
