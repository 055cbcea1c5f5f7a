/**
 * Istio "installed" on a cluster of the real control plane the way the istio-discovery chart leaves a
 * primary, with the real istiod (pilot-discovery) as a process standing in for its pod:
 *
 * - the objects Helm would create (istio-system with its network label, the istiod and reader service
 *   accounts and RBAC, the `istio` mesh ConfigMap, the `istiod` Deployment and Service), in the shapes
 *   the simulator's installation uses (source/sim/istio/control-plane-manifests.ts), so meshdeck sees the
 *   same thing on both sides;
 * - the `istio-sidecar-injector` ConfigMap rendered from the pinned chart itself (`config`: its
 *   `files/*.yaml` templates, as templates/istiod-injector-configmap.yaml lays them out; `values`: the
 *   chart's defaults, picked as that template picks them), which istiod's injector reads;
 * - the injection MutatingWebhookConfiguration registered by URL (istiod's HTTPS port, its DNS
 *   certificate made for the address by ISTIOD_CUSTOM_HOST, istiod's root as caBundle);
 * - an `istiod` Endpoints object pointing at the process, on a non-loopback address of this machine
 *   and with the stand-in pod (whose pod IP is that address) as targetRef: the API server's service
 *   proxy reaches only such addresses. So `services/istiod:15014/proxy/debug/...` reaches istiod as it
 *   does in a cluster, from a non-loopback address without credentials;
 * - a stand-in for the Deployment's pod and for the deployment controller: an `istiod-...` Pod (marked
 *   Running by the harness's stand-in kubelet), and a `kubectl rollout restart` of the Deployment
 *   restarts the process (which reads `cacerts` again) before the Deployment's status says the rollout
 *   is complete.
 */
import { readFileSync, existsSync } from 'node:fs';
import { createServer, connect, type AddressInfo, type Server } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { injectorWebhookConfiguration, istiodDeployment, istiodService, readerRbac, serviceAccount } from '../../source/sim/istio/control-plane-manifests.js';
import { installLabels, meshConfigMap, type InstallIdentity } from '../../source/sim/istio/mesh-config.js';
import { startIstiod, type IstiodProcess } from './harness.js';
import { httpRequest, type Endpoint } from './http.js';

type Json = Record<string, any>;

/** The first IPv4 address of this machine that is not loopback (the API server will not proxy to loopback). */
export function proxyableAddress(): string | undefined {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) if (address.family === 'IPv4' && !address.internal) return address.address;
  }
  return undefined;
}

/** The chart's values as Helm sees them without a profile (zzz_profile.yaml unwraps `_internal_defaults_do_not_set`). */
export function chartValues(chartDir: string): Json {
  const document = parse(readFileSync(join(chartDir, 'values.yaml'), 'utf8')) as Json;
  return structuredClone(document['_internal_defaults_do_not_set'] ?? document);
}

const TEMPLATE_FILES: [string, string][] = [
  ['sidecar', 'injection-template.yaml'],
  ['gateway', 'gateway-injection-template.yaml'],
  ['grpc-simple', 'grpc-simple.yaml'],
  ['grpc-agent', 'grpc-agent.yaml'],
  ['waypoint', 'waypoint.yaml'],
  ['kube-gateway', 'kube-gateway.yaml'],
  ['agentgateway', 'agentgateway.yaml'],
  ['agentgateway-waypoint', 'agentgateway-waypoint.yaml'],
];

/**
 * The `istio-sidecar-injector` ConfigMap as templates/istiod-injector-configmap.yaml renders it with the
 * chart's default values plus the installation's identity (global.meshID, multiCluster.clusterName,
 * network).
 */
export function renderInjectorConfigMap(chartDir: string, identity: InstallIdentity): Json {
  const v = chartValues(chartDir);
  v['global'] = { ...v['global'], meshID: identity.meshId, network: identity.network, multiCluster: { ...v['global']?.['multiCluster'], clusterName: identity.clusterId } };
  const pick = (from: Json | undefined, ...keys: string[]) => Object.fromEntries(keys.filter((k) => from && k in from).map((k) => [k, from![k]]));
  const values = { ...pick(v, 'global', 'sidecarInjectorWebhook', 'revision'), pilot: pick(v, 'cni', 'env'), gateways: pick(v['gateways'], 'securityContext', 'seccompProfile') };
  const webhook = (v['sidecarInjectorWebhook'] ?? {}) as Json;
  const templates: Record<string, string> = {};
  for (const [name, file] of TEMPLATE_FILES) {
    const path = join(chartDir, 'files', file);
    if (!(name in (webhook['templates'] ?? {})) && existsSync(path)) templates[name] = `${readFileSync(path, 'utf8').trim()}\n`;
  }
  const config = {
    defaultTemplates: Array.isArray(webhook['defaultTemplates']) && webhook['defaultTemplates'].length > 0 ? webhook['defaultTemplates'] : ['sidecar'],
    policy: v['global']?.['proxy']?.['autoInject'] ?? 'enabled',
    alwaysInjectSelector: webhook['alwaysInjectSelector'] ?? [],
    neverInjectSelector: webhook['neverInjectSelector'] ?? [],
    injectedAnnotations: webhook['injectedAnnotations'] ?? {},
    template: '{{ Template_Version_And_Istio_Version_Mismatched_Check_Installation }}',
    templates: { ...templates, ...(webhook['templates'] ?? {}) },
  };
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'istio-sidecar-injector', namespace: 'istio-system', labels: { ...installLabels(identity.revision), 'app.kubernetes.io/name': 'istiod' } },
    data: { values: JSON.stringify(values, null, 2), config: stringify(config, { lineWidth: 0 }) },
  };
}

export interface InstalledIstio {
  istiod: IstiodProcess;
  identity: InstallIdentity;
  /** hub/pilot:tag and hub/proxyv2:tag of the chart's defaults. */
  images: { pilot: string; proxy: string };
  webhookUrl: string;
  /** The address of this machine istiod's pod has (the webhook and the Endpoints use it). */
  bindAddress: string;
  /**
   * What `services/istiod:15014/proxy/...` reaches: istiod's HTTP port ('service', as in a cluster: the
   * request arrives from the API server's address), or a relay that makes it arrive from loopback
   * ('loopback-relay', as through `kubectl port-forward`).
   */
  setDebugAccess(mode: 'service' | 'loopback-relay'): Promise<void>;
  /** The root istiod publishes (istio-ca-root-cert in istio-system). */
  root(): Promise<string | undefined>;
  stop(): Promise<void>;
}

export interface InstallOptions {
  binary: string;
  chartDir: string;
  kubeconfigPath: string;
  context: string;
  endpoint: Endpoint;
  network: string;
  meshId?: string;
  log?: (line: string) => void;
}

const ISTIO_NAMESPACE = 'istio-system';

async function ensure(endpoint: Endpoint, collection: string, object: Json): Promise<void> {
  const created = await httpRequest(endpoint, collection, { method: 'POST', body: object });
  if (created.status !== 201 && created.status !== 409) throw new Error(`creating ${object['kind']} ${object['metadata']?.['name']}: ${created.status} ${created.body}`);
}

export async function installIstio(options: InstallOptions): Promise<InstalledIstio> {
  const { endpoint } = options;
  const identity: InstallIdentity = { clusterId: options.context, network: options.network, meshId: options.meshId ?? 'mesh1', trustDomain: 'cluster.local', revision: 'default', accessLogEncoding: 'TEXT' };
  const global = chartValues(options.chartDir)['global'] ?? {};
  const hub = String(global['hub'] || 'docker.io/istio');
  const tag = String(global['tag'] || 'latest');
  const images = { pilot: `${hub}/pilot:${tag}`, proxy: `${hub}/proxyv2:${tag}` };
  const bindAddress = proxyableAddress() ?? '127.0.0.1';

  // istio-system with the network label (the chart's base: istioctl labels it).
  const namespace = await httpRequest(endpoint, `/api/v1/namespaces/${ISTIO_NAMESPACE}`);
  if (namespace.status === 404) await ensure(endpoint, '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ISTIO_NAMESPACE, labels: { 'topology.istio.io/network': identity.network } } });
  else await httpRequest(endpoint, `/api/v1/namespaces/${ISTIO_NAMESPACE}`, { method: 'PATCH', contentType: 'application/merge-patch+json', body: { metadata: { labels: { 'topology.istio.io/network': identity.network } } } });
  const core = `/api/v1/namespaces/${ISTIO_NAMESPACE}`;
  await ensure(endpoint, `${core}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', ...serviceAccount('istiod', { app: 'istiod', release: 'istiod' }) });
  await ensure(endpoint, `${core}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', ...serviceAccount('istio-reader-service-account', { app: 'istio-reader', release: 'istio' }) });
  const reader = readerRbac();
  await ensure(endpoint, '/apis/rbac.authorization.k8s.io/v1/clusterroles', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', ...reader.clusterRole });
  await ensure(endpoint, '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', ...reader.binding });
  await ensure(endpoint, `${core}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', ...meshConfigMap(identity) });
  await ensure(endpoint, `${core}/configmaps`, renderInjectorConfigMap(options.chartDir, identity));

  const deployment = istiodDeployment(identity) as Json;
  const container = deployment['spec']['template']['spec']['containers'][0];
  container['image'] = images.pilot;
  await ensure(endpoint, '/apis/apps/v1/namespaces/istio-system/deployments', { apiVersion: 'apps/v1', kind: 'Deployment', ...deployment });
  await ensure(endpoint, `${core}/services`, { apiVersion: 'v1', kind: 'Service', ...istiodService(identity) });

  // The injector's DNS certificate names the address the API server calls (ISTIOD_CUSTOM_HOST).
  const istiod = await startIstiod({
    binary: options.binary,
    kubeconfigPath: options.kubeconfigPath,
    context: options.context,
    bindAddress,
    env: { ISTIOD_CUSTOM_HOST: [...new Set([bindAddress, '127.0.0.1'])].join(','), PILOT_CERT_PROVIDER: 'istiod', CLUSTER_ID: identity.clusterId },
    ...(options.log ? { log: options.log } : {}),
  });
  const root = async () => {
    const res = await httpRequest(endpoint, `${core}/configmaps/istio-ca-root-cert`);
    return res.status === 200 ? (res.json.data['root-cert.pem'] as string) : undefined;
  };
  // The root istiod signs its DNS (webhook) certificate under: a plugged-in cacerts' root, else its own CA's.
  const signingRoot = async () => {
    const secretKey = async (name: string, key: string) => {
      const res = await httpRequest(endpoint, `${core}/secrets/${name}`);
      const value = res.status === 200 ? (res.json.data?.[key] as string | undefined) : undefined;
      return value ? Buffer.from(value, 'base64').toString() : undefined;
    };
    return (await secretKey('cacerts', 'root-cert.pem')) ?? (await secretKey('istio-ca-secret', 'ca-cert.pem'));
  };
  const waitForRoot = async () => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const pem = await signingRoot();
      if (pem) return pem;
      if (Date.now() > deadline) throw new Error('istiod made no CA (istio-ca-secret) within 30 s');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };

  const webhookUrl = `https://${bindAddress}:${istiod.ports.https}/inject`;
  const webhooks = injectorWebhookConfiguration(identity, { url: webhookUrl }) as Json;
  const setCaBundle = async (pem: string) => {
    for (const webhook of webhooks['webhooks']) webhook['clientConfig']['caBundle'] = Buffer.from(pem).toString('base64');
    const path = '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations';
    const existing = await httpRequest(endpoint, `${path}/${webhooks['metadata']['name']}`);
    const body: Json = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', ...webhooks };
    if (existing.status === 404) await ensure(endpoint, path, body);
    else {
      const updated = await httpRequest(endpoint, `${path}/${webhooks['metadata']['name']}`, { method: 'PUT', body: { ...body, metadata: { ...body['metadata'], resourceVersion: existing.json.metadata.resourceVersion } } });
      if (updated.status !== 200) throw new Error(`updating the injection webhook: ${updated.status} ${updated.body}`);
    }
  };
  await setCaBundle(await waitForRoot());

  // What the endpoints controller publishes for the istiod pod: its address and ports, under the
  // Service's port names, with the pod as targetRef (the API server proxies only to an address of a pod).
  // `debugPort` is what 15014 (http-monitoring) leads to: istiod's HTTP port itself, or the loopback relay.
  const { ports } = istiod;
  let debugPort = ports.http;
  let pod: string | undefined;
  const publishEndpoints = async () => {
    const path = `${core}/endpoints/istiod`;
    const body: Json = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'istiod', namespace: ISTIO_NAMESPACE, labels: installLabels(identity.revision) },
      subsets: [{
        addresses: [{ ip: bindAddress, targetRef: { kind: 'Pod', name: pod, namespace: ISTIO_NAMESPACE } }],
        ports: [
          { name: 'grpc-xds', port: ports.grpc, protocol: 'TCP' },
          { name: 'https-dns', port: ports.secureGrpc, protocol: 'TCP' },
          { name: 'https-webhook', port: ports.https, protocol: 'TCP' },
          { name: 'http-monitoring', port: debugPort, protocol: 'TCP' },
        ],
      }],
    };
    const existing = await httpRequest(endpoint, path);
    if (existing.status === 404) return ensure(endpoint, `${core}/endpoints`, body);
    const updated = await httpRequest(endpoint, path, { method: 'PUT', body: { ...body, metadata: { ...body['metadata'], resourceVersion: existing.json.metadata.resourceVersion } } });
    if (updated.status !== 200) throw new Error(`updating the istiod Endpoints: ${updated.status} ${updated.body}`);
  };

  // The Deployment's pod (its address is this machine's, as for a pod on the host network) and its rollout.
  let podIndex = 0;
  const replacePod = async () => {
    if (pod) await httpRequest(endpoint, `${core}/pods/${pod}`, { method: 'DELETE' });
    const current = (await httpRequest(endpoint, '/apis/apps/v1/namespaces/istio-system/deployments/istiod')).json;
    pod = `istiod-conformance-${++podIndex}`;
    const template = current.spec.template;
    await ensure(endpoint, `${core}/pods`, { apiVersion: 'v1', kind: 'Pod', metadata: { name: pod, namespace: ISTIO_NAMESPACE, labels: template.metadata.labels, annotations: template.metadata.annotations ?? {} }, spec: template.spec });
    const deadline = Date.now() + 30_000;
    while ((await httpRequest(endpoint, `${core}/pods/${pod}`)).json?.status?.phase !== 'Running') {
      if (Date.now() > deadline) throw new Error(`the stand-in kubelet did not run ${pod} within 30 s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await httpRequest(endpoint, `${core}/pods/${pod}/status`, { method: 'PATCH', contentType: 'application/merge-patch+json', body: { status: { podIP: bindAddress, podIPs: [{ ip: bindAddress }] } } });
    await publishEndpoints();
  };
  const markRolledOut = async (generation: number) => {
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    await httpRequest(endpoint, '/apis/apps/v1/namespaces/istio-system/deployments/istiod/status', {
      method: 'PATCH',
      contentType: 'application/merge-patch+json',
      body: {
        status: {
          observedGeneration: generation,
          replicas: 1,
          updatedReplicas: 1,
          readyReplicas: 1,
          availableReplicas: 1,
          conditions: [
            { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.', lastUpdateTime: now, lastTransitionTime: now },
            { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: 'stand-in rollout complete', lastUpdateTime: now, lastTransitionTime: now },
          ],
        },
      },
    });
  };
  await replacePod();
  let generation = (await httpRequest(endpoint, '/apis/apps/v1/namespaces/istio-system/deployments/istiod')).json.metadata.generation as number;
  await markRolledOut(generation);

  let stopped = false;
  let busy = Promise.resolve();
  const timer = setInterval(() => {
    busy = busy.then(async () => {
      if (stopped) return;
      const current = await httpRequest(endpoint, '/apis/apps/v1/namespaces/istio-system/deployments/istiod').catch(() => undefined);
      const next = current?.json?.metadata?.generation as number | undefined;
      if (current?.status !== 200 || next === undefined || next === generation) return;
      // The pod template changed (kubectl rollout restart): a new istiod, which reads cacerts as it starts.
      options.log?.(`istiod Deployment generation ${generation} -> ${next}: restarting istiod`);
      generation = next;
      await istiod.restart();
      await replacePod();
      await setCaBundle(await waitForRoot());
      await markRolledOut(next);
    }).catch((error: Error) => options.log?.(`istiod stand-in: ${error.message}`));
  }, 300);

  // A relay on this machine's address to istiod's HTTP port on 127.0.0.1: a request through it arrives at
  // istiod from loopback, as one through `kubectl port-forward` arrives from the pod's own loopback.
  let relay: Server | undefined;
  const setDebugAccess = async (mode: 'service' | 'loopback-relay') => {
    if (mode === 'loopback-relay' && !relay) {
      relay = createServer((socket) => {
        const upstream = connect(ports.http, '127.0.0.1');
        socket.pipe(upstream).pipe(socket);
        socket.on('error', () => upstream.destroy());
        upstream.on('error', () => socket.destroy());
      });
      await new Promise<void>((resolve) => relay!.listen(0, bindAddress, resolve));
    }
    debugPort = mode === 'loopback-relay' ? (relay!.address() as AddressInfo).port : ports.http;
    await publishEndpoints();
  };

  return {
    istiod,
    identity,
    images,
    webhookUrl,
    bindAddress,
    root,
    setDebugAccess,
    async stop() {
      stopped = true;
      relay?.close();
      clearInterval(timer);
      await busy;
      // failurePolicy Fail: without istiod, pods in injected namespaces could not be created.
      await httpRequest(endpoint, `/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/${webhooks['metadata']['name']}`, { method: 'DELETE' }).catch(() => undefined);
      await istiod.stop();
    },
  };
}
