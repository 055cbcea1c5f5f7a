import type { JsonObject, KubeObject } from '../objects.js';
import type { SimCluster } from '../cluster/sim-cluster.js';
import { K } from '../controllers/kinds.js';
import { SeededRandom } from '../seeded-random.js';
import type { LogSchedule } from './synthetic-logs.js';
import { lineOffset } from './synthetic-logs.js';
import { formatAccessLog, type AccessLogEncoding } from './access-log-format.js';
import { buildProxyView, isProxyContainer, type ProxyView } from './proxy-view.js';
import { accessLogEntry } from './proxy-traffic.js';
import { PROBLEM_START, problemLine, reconnectLine, recoveryLine, startupLine, STARTUP_LINES, streamClosedWarning } from './proxy-agent-lines.js';

export type { AccessLogEncoding } from './access-log-format.js';

/** Why a proxy cannot get its certificate (e.g. `x509: certificate signed by unknown authority`), or undefined when it can. */
export type ProxyProblem = (pod: KubeObject) => string | undefined;

export interface EnvoyLogOptions {
  /** Access-log lines per second per istio-proxy container (default 1). Changing it re-times the whole log. */
  linesPerSecond?: number;
  /**
   * TEXT (Istio's default) or JSON. Unset, it follows the mesh config: `accessLogEncoding` in the
   * `mesh` key of the `istio` ConfigMap in istio-system.
   */
  encoding?: AccessLogEncoding;
  /** When it names a problem for a pod, that proxy logs the certificate failure instead of traffic. */
  problemFor?: ProxyProblem;
}

/** The istio-proxy log generator of one cluster. */
export interface EnvoyLogs {
  configure(options: EnvoyLogOptions): void;
  /** The encoding new access-log lines use now. */
  encoding(): AccessLogEncoding;
}

interface ProxyContext {
  view: ProxyView;
  encoding: AccessLogEncoding;
  problem?: string;
}

// How often a proxy re-reads the cluster (services, endpoints, routes, mesh config, its problem).
const REFRESH_MS = 1000;
const MAX_CONTEXTS = 64;
const BURST_INTERVAL_MS = 15;
const WARNING_SHARE = 0.005;
// istiod closes every xDS stream after 30 minutes (its MaxConnectionAge) and the agent reconnects.
const RECONNECT_SECONDS = 30 * 60;

const installed = new WeakMap<SimCluster, ProxyLogs>();

/**
 * Makes every `istio-proxy` container of the cluster (sidecars, and gateways whose only container it
 * is) log like a real one: istio-agent start-up, Envoy access-log lines in Istio's default format,
 * and now and then a warning. Calling it again on the same cluster reconfigures the same generator.
 */
export function registerEnvoyLogs(cluster: SimCluster, options: EnvoyLogOptions = {}): EnvoyLogs {
  const existing = installed.get(cluster);
  if (existing) {
    existing.configure(options);
    return existing;
  }
  const logs = new ProxyLogs(cluster, options);
  cluster.logs.register(isProxyContainer, (pod, container, sequence, time) => logs.line(pod, container, sequence, time), () => logs.schedule());
  installed.set(cluster, logs);
  return logs;
}

/** The generator registered for a cluster, if any. */
export function envoyLogsOf(cluster: SimCluster): EnvoyLogs | undefined {
  return installed.get(cluster);
}

/** `accessLogEncoding` from a mesh config (the YAML under the `mesh` key of the istio ConfigMap). */
export function meshConfigEncoding(meshYaml: string): AccessLogEncoding | undefined {
  const match = /^\s*accessLogEncoding:\s*["']?(JSON|TEXT)["']?\s*$/m.exec(meshYaml);
  return match ? (match[1] as AccessLogEncoding) : undefined;
}

class ProxyLogs implements EnvoyLogs {
  private linesPerSecond = 1;
  private fixedEncoding: AccessLogEncoding | undefined;
  private problemFor: ProxyProblem | undefined;
  private readonly contexts = new Map<string, ContextHistory>();
  private meshConfig: { version: string; encoding: AccessLogEncoding } | undefined;

  constructor(private readonly cluster: SimCluster, options: EnvoyLogOptions) {
    this.configure(options);
    cluster.store.subscribe((event) => {
      if (event.def === K.pods && event.type === 'DELETED') {
        for (const key of this.contexts.keys()) if (key.startsWith(`${event.object.metadata.uid}/`)) this.contexts.delete(key);
      }
    });
  }

  configure(options: EnvoyLogOptions): void {
    if (options.linesPerSecond !== undefined) {
      if (!(options.linesPerSecond > 0)) throw new Error(`linesPerSecond must be positive, got ${options.linesPerSecond}`);
      this.linesPerSecond = Math.min(options.linesPerSecond, 1000);
    }
    if ('encoding' in options) this.fixedEncoding = options.encoding;
    if ('problemFor' in options) this.problemFor = options.problemFor;
  }

  encoding(): AccessLogEncoding {
    if (this.fixedEncoding) return this.fixedEncoding;
    // `istio`, or `istio-<revision>` for a revisioned control plane.
    const config =
      this.cluster.store.get(K.configMaps, 'istio-system', 'istio') ??
      this.cluster.store.list(K.configMaps, 'istio-system').find((cm) => /^istio-/.test(cm.metadata.name ?? '') && typeof (cm['data'] as JsonObject | undefined)?.['mesh'] === 'string');
    if (!config) return 'TEXT';
    const version = config.metadata.resourceVersion ?? '';
    if (this.meshConfig?.version !== `${config.metadata.name}@${version}`) {
      const mesh = String(((config['data'] as JsonObject | undefined) ?? {})['mesh'] ?? '');
      this.meshConfig = { version: `${config.metadata.name}@${version}`, encoding: meshConfigEncoding(mesh) ?? 'TEXT' };
    }
    return this.meshConfig.encoding;
  }

  schedule(): LogSchedule {
    return { intervalMs: 1000 / this.linesPerSecond, burstLines: STARTUP_LINES, burstIntervalMs: BURST_INTERVAL_MS };
  }

  line(pod: KubeObject, container: string, sequence: number, time: Date): string {
    const history = this.history(pod, container);
    const context = history.at(time.getTime());
    const key = `${pod.metadata.namespace}/${pod.metadata.name}/${container}/${sequence}`;
    const rng = new SeededRandom(key);
    const schedule = this.schedule();
    const started = new Date(time.getTime() - lineOffset(schedule, sequence));
    if (sequence < STARTUP_LINES) return startupLine(sequence, context.view, context.problem, time, rng, started);
    if (context.problem !== undefined) return problemLine(sequence - PROBLEM_START, context.problem, time, rng, history.problemSince(time.getTime()) ?? started);

    // Just after a problem went away the proxy gets its certificate and becomes ready.
    const earlier = (back: number) => (sequence - back < STARTUP_LINES ? undefined : history.at(time.getTime() - (lineOffset(schedule, sequence) - lineOffset(schedule, sequence - back))));
    if (earlier(1)?.problem !== undefined) return recoveryLine(0, time, rng);
    if (earlier(2)?.problem !== undefined) return recoveryLine(1, time, rng);

    const period = Math.max(20, Math.round(RECONNECT_SECONDS * this.linesPerSecond));
    const steady = sequence - STARTUP_LINES;
    if (steady % period === period - 1) return reconnectLine(time, rng, Math.floor(steady / period) + 2);
    // Now and then a warning, always followed by the agent's reconnect line.
    const rolls = (n: number) => new SeededRandom(`${pod.metadata.namespace}/${pod.metadata.name}/${container}/${n}/warning`).chance(WARNING_SHARE);
    const warns = (n: number) => rolls(n) && !rolls(n - 1);
    if (warns(sequence - 1)) return reconnectLine(time, rng, sequence);
    if (warns(sequence)) return streamClosedWarning(time, rng);
    return formatAccessLog(accessLogEntry(context.view, rng, time), context.encoding);
  }

  private history(pod: KubeObject, container: string): ContextHistory {
    const key = `${pod.metadata.uid}/${container}`;
    let history = this.contexts.get(key);
    if (!history) {
      const namespace = pod.metadata.namespace;
      const name = pod.metadata.name ?? '';
      history = new ContextHistory(() => {
        const current = this.cluster.store.get(K.pods, namespace, name);
        const live = current && current.metadata.uid === pod.metadata.uid ? current : pod;
        const problem = this.problemFor?.(live);
        return { view: buildProxyView(this.cluster.store, live), encoding: this.encoding(), ...(problem !== undefined ? { problem } : {}) };
      }, () => this.cluster.now().getTime());
      this.contexts.set(key, history);
    }
    return history;
  }
}

/**
 * What a proxy saw of the cluster over time. A line's content depends on the context in force at
 * the line's time; a changed context only applies to lines after the moment it was noticed, so a
 * line already served never changes when read again (followers resuming with sinceTime agree).
 */
class ContextHistory {
  private readonly entries: { from: number; context: ProxyContext; key: string }[] = [];
  private checkedAt = -Infinity;

  constructor(
    private readonly compute: () => ProxyContext,
    private readonly now: () => number,
  ) {}

  at(time: number): ProxyContext {
    const now = this.now();
    if (now - this.checkedAt >= REFRESH_MS) {
      this.checkedAt = now;
      const context = this.compute();
      const key = JSON.stringify(context);
      if (this.entries.length === 0) this.entries.push({ from: -Infinity, context, key });
      else if (key !== this.entries.at(-1)!.key) {
        // Lines up to `now` (give or take a timer's millisecond) may have been served already.
        this.entries.push({ from: now + 2, context, key });
        if (this.entries.length > MAX_CONTEXTS) {
          this.entries.shift();
          this.entries[0]!.from = -Infinity;
        }
      }
    }
    return this.entries[this.indexAt(time)]!.context;
  }

  /** When the problem in force at `time` began (undefined: since before anything was noticed). */
  problemSince(time: number): Date | undefined {
    let index = this.indexAt(time);
    while (index > 0 && this.entries[index - 1]!.context.problem !== undefined) index--;
    const from = this.entries[index]?.from;
    return from === undefined || from === -Infinity ? undefined : new Date(from);
  }

  private indexAt(time: number): number {
    for (let i = this.entries.length - 1; i > 0; i--) if (this.entries[i]!.from <= time) return i;
    return 0;
  }
}
