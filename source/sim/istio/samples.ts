import type { SimCluster } from '../cluster/sim-cluster.js';
import type { JsonObject, KubeObject } from '../objects.js';
import { K } from '../controllers/kinds.js';
import { IK, INJECTION_LABEL } from './constants.js';

// Istio's sample applications (samples/helloworld, samples/httpbin, samples/sleep), built as objects.

export type SampleApp = 'helloworld-v1' | 'helloworld-v2' | 'httpbin' | 'sleep';

/** Creates `namespace` (labelled for injection unless told otherwise) if it does not exist. */
export function ensureNamespace(cluster: SimCluster, namespace: string, labels: Record<string, string> = { [INJECTION_LABEL]: 'enabled' }): void {
  if (!cluster.store.get(K.namespaces, undefined, namespace)) cluster.api.create(K.namespaces, undefined, { metadata: { name: namespace, labels } });
}

export function deploySamples(cluster: SimCluster, namespace: string, apps: SampleApp[]): void {
  ensureNamespace(cluster, namespace);
  const service = (object: KubeObject) => {
    if (!cluster.store.get(K.services, namespace, object.metadata.name!)) cluster.api.create(K.services, namespace, object);
  };
  const account = (name: string) => {
    if (!cluster.store.get(K.serviceAccounts, namespace, name)) cluster.api.create(K.serviceAccounts, namespace, { metadata: { name, namespace } });
  };
  for (const app of apps) {
    if (app.startsWith('helloworld')) {
      const version = app.slice('helloworld-'.length);
      service({ metadata: { name: 'helloworld', namespace, labels: { app: 'helloworld', service: 'helloworld' } }, spec: { ports: [{ port: 5000, name: 'http' }], selector: { app: 'helloworld' } } });
      cluster.api.create(K.deployments, namespace, deployment(namespace, `helloworld-${version}`, { app: 'helloworld', version }, undefined, { name: 'helloworld', image: `registry.istio.io/release/examples-helloworld-${version}:1.0`, resources: { requests: { cpu: '100m' } }, ports: [{ containerPort: 5000 }] }));
    } else if (app === 'httpbin') {
      account('httpbin');
      service({ metadata: { name: 'httpbin', namespace, labels: { app: 'httpbin', service: 'httpbin' } }, spec: { ports: [{ name: 'http', port: 8000, targetPort: 8080 }], selector: { app: 'httpbin' } } });
      cluster.api.create(K.deployments, namespace, deployment(namespace, 'httpbin', { app: 'httpbin', version: 'v1' }, 'httpbin', { name: 'httpbin', image: 'docker.io/mccutchen/go-httpbin:v2.15.0', ports: [{ containerPort: 8080 }] }));
    } else {
      account('sleep');
      service({ metadata: { name: 'sleep', namespace, labels: { app: 'sleep', service: 'sleep' } }, spec: { ports: [{ port: 80, name: 'http' }], selector: { app: 'sleep' } } });
      cluster.api.create(K.deployments, namespace, deployment(namespace, 'sleep', { app: 'sleep' }, 'sleep', { name: 'sleep', image: 'docker.io/curlimages/curl:8.16.0', command: ['/bin/sleep', 'infinity'] }));
    }
  }
}

/** httpbin-gateway.yaml's Gateway and VirtualService (ingress on port 80 → httpbin:8000), or with another server port. */
export function deployHttpbinGateway(cluster: SimCluster, namespace: string, port = 80): void {
  cluster.api.create(IK.gateways, namespace, {
    metadata: { name: 'httpbin-gateway', namespace },
    spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: port, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }] },
  });
  cluster.api.create(IK.virtualServices, namespace, {
    metadata: { name: 'httpbin', namespace },
    spec: { hosts: ['*'], gateways: ['httpbin-gateway'], http: [{ route: [{ destination: { host: 'httpbin', port: { number: 8000 } } }] }] },
  });
}

/** samples/multicluster/expose-services.yaml: the east-west gateway passes *.local mTLS traffic through on 15443. */
export function exposeServices(cluster: SimCluster): void {
  cluster.api.create(IK.gateways, 'istio-system', {
    metadata: { name: 'cross-network-gateway', namespace: 'istio-system' },
    spec: { selector: { istio: 'eastwestgateway' }, servers: [{ port: { number: 15443, name: 'tls', protocol: 'TLS' }, tls: { mode: 'AUTO_PASSTHROUGH' }, hosts: ['*.local'] }] },
  });
}

/** samples/multicluster/expose-istiod.yaml: remotes reach istiod through the east-west gateway. */
export function exposeIstiod(cluster: SimCluster): void {
  cluster.api.create(IK.gateways, 'istio-system', {
    metadata: { name: 'istiod-gateway', namespace: 'istio-system' },
    spec: {
      selector: { istio: 'eastwestgateway' },
      servers: [
        { port: { name: 'tls-istiod', number: 15012, protocol: 'tls' }, tls: { mode: 'PASSTHROUGH' }, hosts: ['*'] },
        { port: { name: 'tls-istiodwebhook', number: 15017, protocol: 'tls' }, tls: { mode: 'PASSTHROUGH' }, hosts: ['*'] },
      ],
    },
  });
  cluster.api.create(IK.virtualServices, 'istio-system', {
    metadata: { name: 'istiod-vs', namespace: 'istio-system' },
    spec: {
      hosts: ['*'],
      gateways: ['istiod-gateway'],
      tls: [
        { match: [{ port: 15012, sniHosts: ['*'] }], route: [{ destination: { host: 'istiod.istio-system.svc.cluster.local', port: { number: 15012 } } }] },
        { match: [{ port: 15017, sniHosts: ['*'] }], route: [{ destination: { host: 'istiod.istio-system.svc.cluster.local', port: { number: 443 } } }] },
      ],
    },
  });
}

function deployment(namespace: string, name: string, labels: Record<string, string>, serviceAccount: string | undefined, container: JsonObject): KubeObject {
  return {
    metadata: { name, namespace, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { ...(serviceAccount ? { serviceAccountName: serviceAccount } : {}), containers: [{ imagePullPolicy: 'IfNotPresent', ...container }] } },
    },
  };
}
