// Service, Endpoints and discovery.k8s.io EndpointSlice.
import type { JsonObject, KubeObject } from '../objects.js';
import { AGE_COLUMN, NAME_COLUMN, column, wide, type Printer } from './columns.js';
import { at, int, list, obj, objects, str } from './fields.js';
import { byCodePoint, formatLabels, since } from './format.js';

function loadBalancerAddresses(service: KubeObject): string[] {
  const addresses = new Set<string>();
  for (const ingress of objects(at(service, 'status', 'loadBalancer', 'ingress'))) {
    const address = str(ingress.ip) || str(ingress.hostname);
    if (address) addresses.add(address);
  }
  return [...addresses].sort(byCodePoint);
}

/**
 * getServiceExternalIP. No 16-character truncation of load balancer addresses: the server always
 * renders the wide form, which skips it.
 */
function externalIP(service: KubeObject, type: string): string {
  const externalIPs = list(at(service, 'spec', 'externalIPs')).map((ip) => str(ip));
  switch (type) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const addresses = [...loadBalancerAddresses(service), ...externalIPs];
      return addresses.length > 0 ? addresses.join(',') : '<pending>';
    }
    case 'ExternalName':
      return str(at(service, 'spec', 'externalName'));
    default:
      return '<unknown>';
  }
}

function portsText(ports: JsonObject[]): string {
  const text = ports
    .map((port) => {
      // Protocol defaults to TCP on write, so an unset one is TCP.
      const protocol = str(port.protocol) || 'TCP';
      const nodePort = int(port.nodePort);
      return nodePort > 0 ? `${int(port.port)}:${nodePort}/${protocol}` : `${int(port.port)}/${protocol}`;
    })
    .join(',');
  return text || '<none>';
}

export const servicePrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column('Type', 'string', 'type determines how the Service is exposed.'),
    column('Cluster-IP', 'string', 'clusterIP is the IP address of the service.'),
    column('External-IP', 'string', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
    column('Port(s)', 'string', 'The list of ports that are exposed by this service.'),
    AGE_COLUMN,
    wide('Selector', 'Route service traffic to pods with label keys and values matching this selector.'),
  ],
  cells(service, now) {
    const spec = obj(service.spec) ?? {};
    // The API server defaults the type to ClusterIP.
    const type = str(spec.type) || 'ClusterIP';
    const clusterIP = str(list(spec.clusterIPs)[0]) || str(spec.clusterIP) || '<none>';
    return [
      service.metadata.name ?? '',
      type,
      clusterIP,
      externalIP(service, type),
      portsText(objects(spec.ports)),
      since(service.metadata.creationTimestamp, now),
      formatLabels(spec.selector),
    ];
  },
};

/** IPv6 addresses get brackets, as net.JoinHostPort does. */
function hostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** Lists the first three and counts the rest, like the real ENDPOINTS column. */
function withMore(entries: string[], total: number, empty: string): string {
  const shown = entries.slice(0, 3).join(',');
  if (total > 3) return `${shown} + ${total - 3} more...`;
  return shown || empty;
}

function endpointsText(endpoints: KubeObject): string {
  const subsets = objects(endpoints.subsets);
  if (subsets.length === 0) return '<none>';
  const entries: string[] = [];
  let total = 0;
  for (const subset of subsets) {
    const ips = objects(subset.addresses).map((address) => str(address.ip));
    const ports = objects(subset.ports);
    // Headless services may have no ports: list bare IPs.
    if (ports.length === 0) {
      total += ips.length;
      entries.push(...ips);
      continue;
    }
    for (const port of ports) {
      total += ips.length;
      entries.push(...ips.map((ip) => hostPort(ip, int(port.port))));
    }
  }
  // Ready addresses only; an Endpoints whose subsets hold none prints an empty cell.
  return withMore(entries, total, '');
}

export const endpointsPrinter: Printer = {
  columns: [NAME_COLUMN, column('Endpoints', 'string', 'The set of all endpoints is the union of all subsets.'), AGE_COLUMN],
  cells(endpoints, now) {
    return [endpoints.metadata.name ?? '', endpointsText(endpoints), since(endpoints.metadata.creationTimestamp, now)];
  },
};

export const endpointSlicePrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column('AddressType', 'string', 'addressType specifies the type of address carried by this EndpointSlice.'),
    column('Ports', 'string', 'ports specifies the list of network ports exposed by each endpoint in this slice.'),
    column('Endpoints', 'string', 'endpoints is a list of unique endpoints in this slice.'),
    AGE_COLUMN,
  ],
  cells(slice, now) {
    const ports = objects(slice.ports).map((port) =>
      typeof port.port === 'number' ? `${int(port.port)}` : typeof port.name === 'string' ? port.name : '*',
    );
    const addresses = objects(slice.endpoints).flatMap((endpoint) => list(endpoint.addresses).map((a) => str(a)));
    return [
      slice.metadata.name ?? '',
      str(slice.addressType),
      withMore(ports, ports.length, '<unset>'),
      withMore(addresses, addresses.length, '<unset>'),
      since(slice.metadata.creationTimestamp, now),
    ];
  },
};
