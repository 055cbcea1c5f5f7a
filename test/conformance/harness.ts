/**
 * A real control plane on loopback for the conformance tier: one etcd, and one kube-apiserver per
 * cluster (each under its own etcd prefix) with a generated CA and serving certificate, a static token
 * file, service-account signing keys and RBAC; Istio's CRDs applied; and a stand-in for the missing
 * kubelet, scheduler and controller-manager (see StandIn below). Everything runs as child processes
 * and stops cleanly.
 *
 * Run it by hand with `npx vite-node test/conformance/run-harness.ts -- --clusters 3`: it prints the
 * kubeconfig path and keeps running until Ctrl-C.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeServingCertificate } from '../../source/sim/tls.js';
import { renderKubeconfig, writeKubeconfig } from '../../source/sim/cluster/kubeconfig.js';
import { clusterName } from '../../source/sim/cluster/cluster-names.js';
import { findBinaries, type Binaries } from './binaries.js';
import { httpRequest, watchStream, type Endpoint, type WatchEvent, type WatchStream } from './http.js';

export interface RealCluster extends Endpoint {
  name: string;
  /** The kube-apiserver's log file. */
  log: string;
}

export interface RealControlPlane {
  clusters: RealCluster[];
  caPem: string;
  /** One context per cluster, named like the simulator's (east, west, central). */
  kubeconfigPath: string;
  dir: string;
  binaries: Binaries;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  clusters?: number;
  /** Progress lines (what starts, how long it took). */
  log?: (line: string) => void;
  /** Keep the working directory (logs, etcd data) after stop. */
  keepDir?: boolean;
}

const ISSUER = 'https://kubernetes.default.svc.cluster.local';
const NODE_NAME = 'conformance-node';
const debug = process.env['MESHDECK_HARNESS_DEBUG'] ? (line: string) => console.error(line) : () => {};

/** Starts etcd, the API servers and the stand-in controllers; on any failure, stops what it started. */
export async function startControlPlane(options: HarnessOptions = {}): Promise<RealControlPlane> {
  const log = options.log ?? (() => {});
  const binaries = findBinaries();
  const count = options.clusters ?? 2;
  const dir = mkdtempSync(join(tmpdir(), 'meshdeck-conformance-'));
  const processes: Managed[] = [];
  const standIns: StandIn[] = [];
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    for (const standIn of standIns) standIn.stop();
    // API servers first (they hold etcd connections), then etcd.
    await Promise.all(processes.filter((p) => p.name !== 'etcd').map((p) => p.stop()));
    await Promise.all(processes.filter((p) => p.name === 'etcd').map((p) => p.stop()));
    process.off('exit', killAll);
    if (!options.keepDir) rmSync(dir, { recursive: true, force: true });
  };
  // A test runner that exits without calling stop() must not leave servers behind.
  const killAll = () => {
    for (const p of processes) p.child.kill('SIGKILL');
  };
  process.on('exit', killAll);

  try {
    const started = performance.now();
    const certificate = makeServingCertificate('meshdeck-conformance');
    writeFileSync(join(dir, 'ca.pem'), certificate.caCertPem);
    writeFileSync(join(dir, 'serving.pem'), certificate.certPem);
    writeFileSync(join(dir, 'serving-key.pem'), certificate.keyPem, { mode: 0o600 });
    const sa = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
    writeFileSync(join(dir, 'sa.pub'), sa.publicKey);
    writeFileSync(join(dir, 'sa.key'), sa.privateKey, { mode: 0o600 });

    const [clientPort, peerPort] = [await freePort(), await freePort()];
    const etcdUrl = `http://127.0.0.1:${clientPort}`;
    const etcd = launch('etcd', binaries.etcd, [
      '--name', 'conformance',
      '--data-dir', join(dir, 'etcd'),
      '--listen-client-urls', etcdUrl,
      '--advertise-client-urls', etcdUrl,
      '--listen-peer-urls', `http://127.0.0.1:${peerPort}`,
      '--initial-advertise-peer-urls', `http://127.0.0.1:${peerPort}`,
      '--initial-cluster', `conformance=http://127.0.0.1:${peerPort}`,
      '--log-level', 'warn',
    ], join(dir, 'etcd.log'));
    processes.push(etcd);
    await waitUntil(async () => (await fetch(`${etcdUrl}/health`)).ok, 'etcd to answer /health', 30_000, etcd);
    log(`etcd ${etcdUrl} up after ${seconds(started)}`);

    const clusters: RealCluster[] = [];
    for (let index = 0; index < count; index++) {
      const name = clusterName(index);
      const token = randomBytes(24).toString('base64url');
      const tokens = join(dir, `tokens-${name}.csv`);
      writeFileSync(tokens, `${token},meshdeck-admin,meshdeck-admin,"system:masters"\n`, { mode: 0o600 });
      const port = await freePort();
      const logFile = join(dir, `kube-apiserver-${name}.log`);
      processes.push(launch(`kube-apiserver ${name}`, binaries.kubeApiserver, [
        `--etcd-servers=${etcdUrl}`,
        `--etcd-prefix=/registry-${name}`,
        '--bind-address=127.0.0.1',
        '--advertise-address=127.0.0.1',
        `--secure-port=${port}`,
        `--tls-cert-file=${join(dir, 'serving.pem')}`,
        `--tls-private-key-file=${join(dir, 'serving-key.pem')}`,
        `--client-ca-file=${join(dir, 'ca.pem')}`,
        `--token-auth-file=${tokens}`,
        '--authorization-mode=RBAC',
        `--service-account-issuer=${ISSUER}`,
        `--service-account-key-file=${join(dir, 'sa.pub')}`,
        `--service-account-signing-key-file=${join(dir, 'sa.key')}`,
        '--service-cluster-ip-range=10.96.0.0/16',
        '--allow-privileged=true',
        '--profiling=false',
        `--cert-dir=${join(dir, `certs-${name}`)}`,
        '--v=1',
      ], logFile));
      clusters.push({ name, server: `https://127.0.0.1:${port}`, caPem: certificate.caCertPem, token, log: logFile });
    }
    await Promise.all(clusters.map(async (cluster, index) => {
      const child = processes[index + 1]!;
      await waitUntil(async () => (await httpRequest(cluster, '/readyz')).status === 200, `kube-apiserver ${cluster.name} to be ready`, 120_000, child);
      log(`kube-apiserver ${cluster.name} ${cluster.server} ready after ${seconds(started)}`);
    }));

    const kubeconfigPath = join(dir, 'kubeconfig.yaml');
    writeKubeconfig(kubeconfigPath, renderKubeconfig(clusters.map((c) => ({ name: c.name, server: c.server, token: c.token })), certificate.caCertPem));

    await Promise.all(clusters.map(async (cluster) => {
      const standIn = new StandIn(cluster, certificate.caCertPem);
      standIns.push(standIn);
      await standIn.start();
      await applyIstioCrds(kubeconfigPath, cluster.name, binaries.istioCrds);
    }));
    log(`Istio CRDs established and stand-in controllers running after ${seconds(started)}`);
    return { clusters, caPem: certificate.caCertPem, kubeconfigPath, dir, binaries, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

// --- processes ---------------------------------------------------------------------------------

interface Managed {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  logFile: string;
  stop(): Promise<void>;
}

function launch(name: string, binary: string, args: string[], logFile: string): Managed {
  const out = createWriteStream(logFile);
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.pipe(out, { end: false });
  child.stderr!.pipe(out, { end: false });
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => resolve(code));
    child.on('error', () => resolve(-1));
  });
  return {
    name: name.split(' ')[0]!,
    child,
    exited,
    logFile,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      out.end();
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitUntil(probe: () => Promise<boolean>, what: string, timeoutMs: number, process?: Managed): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (process && process.child.exitCode !== null) {
      throw new Error(`${process.name} exited (code ${process.child.exitCode}) while waiting for ${what}; last lines of ${process.logFile}:\n${tail(process.logFile)}`);
    }
    try {
      if (await probe()) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${process ? `; last lines of ${process.logFile}:\n${tail(process.logFile)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '(no log)';
  }
}

function seconds(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}

function kubectlRun(kubeconfig: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('kubectl', ['--kubeconfig', kubeconfig, ...args], { maxBuffer: 64 * 1024 * 1024, timeout: 120_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`kubectl ${args.join(' ')}: ${stderr || error.message}`));
      else resolve(stdout);
    });
  });
}

/** Istio's CRDs, created (not applied: some are too large for the last-applied annotation) and established. */
async function applyIstioCrds(kubeconfig: string, context: string, file: string): Promise<void> {
  await kubectlRun(kubeconfig, ['--context', context, 'create', '-f', file]);
  await kubectlRun(kubeconfig, ['--context', context, 'wait', '--for=condition=Established', '--timeout=60s', '-f', file]);
}

// --- the stand-in controllers ------------------------------------------------------------------

/**
 * What a kubelet, the scheduler and kube-controller-manager would do, as far as meshdeck's tests need
 * it, done through the API like they do: every namespace gets its `default` ServiceAccount and the
 * `kube-root-ca.crt` ConfigMap; a pod is bound to the one Node (the binding subresource) and marked
 * Running and Ready through the status subresource, with a pod IP; a pod being deleted is removed at
 * once (no container to stop). Namespaces are not finalized: a deleted namespace stays Terminating.
 */
class StandIn {
  private streams: WatchStream[] = [];
  private stopped = false;
  private nextIp = 10;

  constructor(
    private readonly endpoint: Endpoint,
    private readonly caPem: string,
  ) {}

  async start(): Promise<void> {
    await this.ensureNode();
    await Promise.all([
      this.run('/api/v1/namespaces', (e) => this.onNamespace(e)),
      this.run('/api/v1/pods', (e) => this.onPod(e)),
      this.run('/api/v1/secrets?fieldSelector=type%3Dkubernetes.io%2Fservice-account-token', (e) => this.onTokenSecret(e)),
    ]);
  }

  stop(): void {
    this.stopped = true;
    for (const stream of this.streams) stream.close();
  }

  /** List, then watch from the list's version; start over when the watch ends or expires. */
  private async run(path: string, handle: (event: WatchEvent) => Promise<void>): Promise<void> {
    const list = await httpRequest(this.endpoint, path);
    const query = path.includes('?') ? '&' : '?';
    if (list.status !== 200) throw new Error(`stand-in: GET ${path} answered ${list.status}: ${list.body}`);
    let queue = Promise.resolve();
    const enqueue = (event: WatchEvent) => {
      queue = queue.then(() => handle(event)).catch((error: Error) => debug(`stand-in ${path}: ${error.message}`));
      debug(`stand-in ${path}: ${event.type} ${event.object?.metadata?.name} rv ${event.object?.metadata?.resourceVersion}`);
    };
    for (const item of list.json.items) enqueue({ type: 'ADDED', object: item });
    const loop = (resourceVersion: string) => {
      if (this.stopped) return;
      let latest = resourceVersion;
      let expired = false;
      const stream = watchStream(this.endpoint, `${path}${query}watch=1&allowWatchBookmarks=true&resourceVersion=${latest}`, {}, (event) => {
        if (event.type === 'ERROR') expired = true;
        else latest = event.object?.metadata?.resourceVersion ?? latest;
        if (event.type !== 'BOOKMARK' && event.type !== 'ERROR') enqueue(event);
      });
      this.streams.push(stream);
      void stream.ended.then(async () => {
        this.streams = this.streams.filter((s) => s !== stream);
        if (this.stopped) return;
        await new Promise((resolve) => setTimeout(resolve, 200));
        if (expired) {
          const again = await httpRequest(this.endpoint, path).catch(() => undefined);
          if (again?.status === 200) {
            for (const item of again.json.items) enqueue({ type: 'MODIFIED', object: item });
            latest = again.json.metadata.resourceVersion;
          }
        }
        loop(latest);
      });
    };
    loop(list.json.metadata.resourceVersion);
  }

  private async ensureNode(): Promise<void> {
    const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: NODE_NAME, labels: { 'kubernetes.io/hostname': NODE_NAME, 'kubernetes.io/os': 'linux' } } };
    const created = await httpRequest(this.endpoint, '/api/v1/nodes', { method: 'POST', body: node });
    if (created.status !== 201 && created.status !== 409) throw new Error(`stand-in: creating the node answered ${created.status}: ${created.body}`);
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    await httpRequest(this.endpoint, `/api/v1/nodes/${NODE_NAME}/status`, {
      method: 'PATCH',
      contentType: 'application/merge-patch+json',
      body: {
        status: {
          conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'stand-in node', lastHeartbeatTime: now, lastTransitionTime: now }],
          addresses: [{ type: 'InternalIP', address: '127.0.0.1' }, { type: 'Hostname', address: NODE_NAME }],
          nodeInfo: { kubeletVersion: 'stand-in', architecture: 'amd64', operatingSystem: 'linux', containerRuntimeVersion: 'none', kernelVersion: '', osImage: '', kubeProxyVersion: '', machineID: '', systemUUID: '', bootID: '' },
        },
      },
    });
  }

  private async onNamespace(event: WatchEvent): Promise<void> {
    const ns = event.object;
    if (event.type === 'DELETED' || ns.metadata.deletionTimestamp) return;
    const name = ns.metadata.name;
    await httpRequest(this.endpoint, `/api/v1/namespaces/${name}/serviceaccounts`, { method: 'POST', body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } } });
    await httpRequest(this.endpoint, `/api/v1/namespaces/${name}/configmaps`, { method: 'POST', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-root-ca.crt' }, data: { 'ca.crt': this.caPem } } });
  }

  /**
   * kube-controller-manager's token controller: a `kubernetes.io/service-account-token` Secret gets a
   * token for its ServiceAccount, the cluster's CA and its namespace. The token comes from TokenRequest,
   * bound to the Secret (so it lasts as long as the Secret does, like a legacy token).
   */
  private async onTokenSecret(event: WatchEvent): Promise<void> {
    const secret = event.object;
    if (event.type === 'DELETED' || secret.type !== 'kubernetes.io/service-account-token' || secret.data?.token) return;
    const { namespace, name, uid } = secret.metadata;
    const account = secret.metadata.annotations?.['kubernetes.io/service-account.name'];
    if (!account) return;
    const request = await httpRequest(this.endpoint, `/api/v1/namespaces/${namespace}/serviceaccounts/${account}/token`, {
      method: 'POST',
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 365 * 24 * 3600, boundObjectRef: { apiVersion: 'v1', kind: 'Secret', name, uid } } },
    });
    if (request.status !== 201) {
      debug(`stand-in: a token for ${namespace}/${account}: ${request.status} ${request.body}`);
      return;
    }
    const b64 = (text: string) => Buffer.from(text).toString('base64');
    const account_ = await httpRequest(this.endpoint, `/api/v1/namespaces/${namespace}/serviceaccounts/${account}`);
    await httpRequest(this.endpoint, `/api/v1/namespaces/${namespace}/secrets/${name}`, {
      method: 'PATCH',
      contentType: 'application/merge-patch+json',
      body: {
        metadata: { annotations: { 'kubernetes.io/service-account.uid': account_.json?.metadata?.uid ?? '' } },
        data: { token: b64(request.json.status.token), 'ca.crt': b64(this.caPem), namespace: b64(namespace) },
      },
    });
  }

  private async onPod(event: WatchEvent): Promise<void> {
    const pod = event.object;
    if (event.type === 'DELETED') return;
    const { namespace, name } = pod.metadata;
    const base = `/api/v1/namespaces/${namespace}/pods/${name}`;
    if (pod.metadata.deletionTimestamp) {
      // As the kubelet does once the containers are gone: delete with grace period 0, again until it is gone
      // (the first call may only shorten the grace period of a pod that is already terminating).
      for (let attempt = 0; attempt < 3; attempt++) {
        const deleted = await httpRequest(this.endpoint, base, { method: 'DELETE', body: { apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } } });
        debug(`stand-in: deleting pod ${namespace}/${name}: ${deleted.status}`);
        if (deleted.status !== 200 || (await httpRequest(this.endpoint, base)).status === 404) break;
      }
      return;
    }
    if (!pod.spec.nodeName) {
      await httpRequest(this.endpoint, `${base}/binding`, { method: 'POST', body: { apiVersion: 'v1', kind: 'Binding', metadata: { name, namespace }, target: { apiVersion: 'v1', kind: 'Node', name: NODE_NAME } } });
      return;
    }
    if (pod.status?.phase === 'Running') return;
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const condition = (type: string) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: now });
    const running = (container: any) => ({
      name: container.name,
      image: container.image,
      imageID: `stand-in://${container.image}`,
      containerID: `stand-in://${namespace}-${name}-${container.name}`,
      ready: true,
      started: true,
      restartCount: 0,
      state: { running: { startedAt: now } },
    });
    const n = this.nextIp++;
    await httpRequest(this.endpoint, `${base}/status`, {
      method: 'PATCH',
      contentType: 'application/merge-patch+json',
      body: {
        status: {
          phase: 'Running',
          hostIP: '127.0.0.1',
          hostIPs: [{ ip: '127.0.0.1' }],
          podIP: `10.244.${(n >> 8) & 255}.${n & 255}`,
          podIPs: [{ ip: `10.244.${(n >> 8) & 255}.${n & 255}` }],
          startTime: now,
          conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map(condition),
          ...(pod.spec.initContainers ? { initContainerStatuses: pod.spec.initContainers.map((c: any) => ({ ...running(c), ready: false, started: false, state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: now, finishedAt: now } } })) } : {}),
          containerStatuses: pod.spec.containers.map(running),
        },
      },
    });
  }
}

// --- istiod ------------------------------------------------------------------------------------

export interface IstiodProcess {
  /** istiod's HTTP port (/ready, /debug/...). */
  httpAddress: string;
  /** The address its HTTPS (webhook) port listens on. */
  bindAddress: string;
  ports: { http: number; grpc: number; secureGrpc: number; https: number; monitoring: number };
  log: string;
  /** Stops istiod and starts it again, as `kubectl rollout restart deploy/istiod` would. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * istiod (pilot-discovery) as a process against one cluster of the real control plane, on loopback
 * ports. The stand-in kubelet's part: before each start, the `istio-system/cacerts` secret (if any) is
 * written to ./etc/cacerts in istiod's working directory, where a pod has it mounted.
 */
export async function startIstiod(options: {
  binary: string;
  kubeconfigPath: string;
  context: string;
  log?: (line: string) => void;
  /**
   * Where the HTTPS (webhook) port listens, 127.0.0.1 unless given; given, the HTTP (debug) port listens
   * on every address (httpAddress stays on 127.0.0.1: istiod answers /debug to localhost only, unless
   * authenticated).
   */
  bindAddress?: string;
  /** More environment, as the Deployment's env would give it. */
  env?: Record<string, string>;
}): Promise<IstiodProcess> {
  const bind = options.bindAddress ?? '127.0.0.1';
  const dir = mkdtempSync(join(tmpdir(), 'meshdeck-istiod-'));
  const kubeconfig = join(dir, 'kubeconfig.yaml');
  writeKubeconfig(kubeconfig, await kubectlRun(options.kubeconfigPath, ['config', 'view', '--minify', '--flatten', '--context', options.context]));
  await kubectlRun(kubeconfig, ['create', 'namespace', 'istio-system']).catch((error: Error) => {
    if (!/AlreadyExists/.test(error.message)) throw error;
  });
  const ports = { http: await freePort(), grpc: await freePort(), secureGrpc: await freePort(), https: await freePort(), monitoring: await freePort() };
  const httpAddress = `http://127.0.0.1:${ports.http}`;
  const logFile = join(dir, 'istiod.log');
  let current: Managed | undefined;
  const mountCacerts = async () => {
    const target = join(dir, 'etc', 'cacerts');
    rmSync(target, { recursive: true, force: true });
    const raw = await kubectlRun(kubeconfig, ['get', 'secret', '-n', 'istio-system', 'cacerts', '-o', 'json', '--ignore-not-found']);
    if (!raw.trim()) return;
    mkdirSync(target, { recursive: true, mode: 0o700 });
    for (const [key, value] of Object.entries((JSON.parse(raw) as { data?: Record<string, string> }).data ?? {})) {
      writeFileSync(join(target, key), Buffer.from(value, 'base64'), { mode: 0o600 });
    }
  };
  // The `istio` ConfigMap's mesh config, where a pod has it mounted (./etc/istio/config/mesh); none: defaults.
  const mountMeshConfig = async (): Promise<string> => {
    const raw = await kubectlRun(kubeconfig, ['get', 'configmap', '-n', 'istio-system', 'istio', '-o', 'json', '--ignore-not-found']);
    const mesh = raw.trim() ? (JSON.parse(raw) as { data?: Record<string, string> }).data?.['mesh'] : undefined;
    if (!mesh) return '/dev/null';
    const target = join(dir, 'etc', 'istio', 'config');
    mkdirSync(target, { recursive: true });
    writeFileSync(join(target, 'mesh'), mesh);
    return join(target, 'mesh');
  };
  const start = async () => {
    await mountCacerts();
    const meshConfig = await mountMeshConfig();
    const started = performance.now();
    const child = spawn(options.binary, [
      'discovery',
      '--kubeconfig', kubeconfig,
      '--clusterID', options.context,
      '--meshConfig', meshConfig,
      '--httpAddr', `${options.bindAddress ? '' : '127.0.0.1'}:${ports.http}`,
      '--grpcAddr', `127.0.0.1:${ports.grpc}`,
      '--secureGRPCAddr', `127.0.0.1:${ports.secureGrpc}`,
      '--httpsAddr', `${bind}:${ports.https}`,
      '--monitoringAddr', `127.0.0.1:${ports.monitoring}`,
    ], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, POD_NAMESPACE: 'istio-system', POD_NAME: 'istiod-conformance', REVISION: 'default', KUBECONFIG: kubeconfig, PILOT_REMOTE_CLUSTER_TIMEOUT: '5s', ...options.env },
    });
    const out = createWriteStream(logFile, { flags: 'a' });
    child.stdout!.pipe(out, { end: false });
    child.stderr!.pipe(out, { end: false });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    current = {
      name: 'istiod',
      child,
      exited,
      logFile,
      async stop() {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(timer);
        }
        out.end();
      },
    };
    const kill = () => child.kill('SIGKILL');
    process.on('exit', kill);
    void exited.then(() => process.off('exit', kill));
    await waitUntil(async () => (await fetch(`${httpAddress}/ready`)).ok, 'istiod to be ready', 60_000, current);
    options.log?.(`istiod ready on ${httpAddress} after ${seconds(started)}`);
  };
  await start();
  return {
    httpAddress,
    bindAddress: bind,
    ports,
    log: logFile,
    async restart() {
      await current?.stop();
      await start();
    },
    async stop() {
      await current?.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
