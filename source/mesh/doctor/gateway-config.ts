import type { KubeObject } from '../types.js';
import type { DoctorSnapshot } from './types.js';
import { itemsOf, labelsMatch, podGroups, type ClusterFacts, type Topology } from './topology.js';

type Json = Record<string, unknown>;

export interface GatewayServer {
  port: number;
  protocol: string;
  /** Hosts without their `namespace/` prefix. */
  hosts: string[];
  tlsMode?: string;
}

export function gatewaySelector(gateway: KubeObject): Record<string, string> {
  return (((gateway['spec'] as Json | undefined)?.['selector'] as Record<string, string> | undefined) ?? {});
}

export function gatewayServers(gateway: KubeObject): GatewayServer[] {
  const servers = ((gateway['spec'] as Json | undefined)?.['servers'] as Json[] | undefined) ?? [];
  const out: GatewayServer[] = [];
  for (const server of servers) {
    const port = (server['port'] as Json | undefined) ?? {};
    const number = Number(port['number']);
    if (!Number.isInteger(number)) continue;
    const hosts = ((server['hosts'] as string[] | undefined) ?? []).map((h) => String(h).replace(/^[^/]*\//, ''));
    const tlsMode = (server['tls'] as Json | undefined)?.['mode'];
    out.push({ port: number, protocol: String(port['protocol'] ?? '').toUpperCase(), hosts, ...(typeof tlsMode === 'string' ? { tlsMode: tlsMode.toUpperCase() } : {}) });
  }
  return out;
}

/**
 * Gateway resources that configure gateway pods of `cluster`: istiod reads Istio config from its own
 * cluster, so a primary's gateways take the primary's, and a remote's take its primaries' (its own
 * only when no primary of it is in view).
 */
export function applicableGateways(topo: Topology, cluster: ClusterFacts): { gateway: KubeObject; from: ClusterFacts }[] {
  const primaries = cluster.hasIstiod ? [] : topo.primariesOf(cluster).filter((p) => p.hasData);
  const sources = primaries.length > 0 ? primaries : [cluster];
  const out: { gateway: KubeObject; from: ClusterFacts }[] = [];
  for (const from of sources) for (const gateway of itemsOf(from.snapshot, 'gateways')) out.push({ gateway, from });
  return out;
}

/** Whether a Gateway selects pods with these labels (an empty selector selects every gateway). */
export function selectsLabels(gateway: KubeObject, labels: Record<string, string>): boolean {
  return labelsMatch(gatewaySelector(gateway), labels);
}

/** Istio host matching: `*` covers everything, `*.example.com` covers its subdomains. */
export function hostsOverlap(a: string, b: string): boolean {
  return a === b || covers(a, b) || covers(b, a);
}

function covers(wildcard: string, host: string): boolean {
  if (wildcard === '*') return true;
  return wildcard.startsWith('*.') && host.endsWith(wildcard.slice(1));
}

/** The port numbers (and target ports) a gateway row's Service shows, from `80→8080/http2` style labels. */
export function rowPorts(ports: string[]): { ports: Set<number>; targets: Set<number> } {
  const out = { ports: new Set<number>(), targets: new Set<number>() };
  for (const label of ports) {
    const match = /^(\d+)(?:→(\d+))?/.exec(label);
    if (!match) continue;
    out.ports.add(Number(match[1]));
    out.targets.add(Number(match[2] ?? match[1]));
  }
  return out;
}

/** Pods of a snapshot whose labels match a selector, one per namespace and owner. */
export function matchingPodShapes(snapshot: DoctorSnapshot, selector: Record<string, string>): { namespace: string; labels: Record<string, string> }[] {
  return podGroups(snapshot).filter((group) => labelsMatch(selector, group.labels));
}
