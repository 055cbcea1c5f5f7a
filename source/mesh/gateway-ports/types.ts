import type { GatewayKind } from '../types.js';

export type { GatewayKind };

/** One entry of a Service's `spec.ports`, as Kubernetes stores it. */
export interface ServicePort {
  name?: string;
  port: number;
  /** A number, or the name of a container port. Kubernetes defaults it to `port`. */
  targetPort?: number | string;
  nodePort?: number;
  /** TCP (the default), UDP or SCTP. */
  protocol?: string;
  appProtocol?: string;
}

/** One `ports` entry of the gateway's proxy container. */
export interface ContainerPort {
  containerPort: number;
  name?: string;
  protocol?: string;
}

/** One server of an Istio `Gateway`, reduced to what port checks need. */
export interface GatewayServerFacts {
  port: number;
  /** `port.name` of the server. */
  name?: string;
  /** `port.protocol`, upper case (HTTP, HTTPS, TLS, TCP, ...). */
  protocol: string;
  hosts: string[];
}

/** An Istio `Gateway` resource whose selector picks this gateway's pods. */
export interface BoundGateway {
  namespace: string;
  name: string;
  servers: GatewayServerFacts[];
}

/** Everything the port checks need to know about the gateway beyond its Service's ports. */
export interface GatewayPortContext {
  /** `namespace/name` of the gateway's Service (for messages). */
  service: string;
  kind: GatewayKind;
  /** ClusterIP, NodePort, LoadBalancer, ... */
  serviceType: string;
  /** Ports the gateway's proxy container declares (empty when there is no Deployment to read). */
  containerPorts: ContainerPort[];
  /** Name of the container the ports came from, and of its workload, for messages. */
  workload?: string;
  /**
   * The lowest port the proxy can bind: 1024 for Envoy running as a non-root user without
   * `net.ipv4.ip_unprivileged_port_start` or NET_BIND_SERVICE, 0 when it can bind any, undefined when unknown.
   */
  lowestBindablePort?: number;
  /** Node ports held by the cluster's other Services (`"30080": "shop/web"`); undefined when they could not be listed. */
  nodePortsInUse?: Record<string, string>;
  nodePortRange: { min: number; max: number };
  /** Gateway resources that select the gateway's pods (in any namespace). */
  gateways: BoundGateway[];
  /** Ports of the other Services that select the same pods (Istio's analyzer pools them with this one). */
  siblingPorts: { service: string; ports: ServicePort[] }[];
}

export type Severity = 'error' | 'warning' | 'info';

/** Stable codes of the port checks. */
export type PortFindingCode =
  | 'port-name-missing'
  | 'port-name-invalid'
  | 'port-name-duplicate'
  | 'port-name-protocol'
  | 'app-protocol-unknown'
  | 'port-range'
  | 'port-duplicate'
  | 'protocol-invalid'
  | 'protocol-udp'
  | 'target-port-range'
  | 'target-port-name-unknown'
  | 'target-port-privileged'
  | 'target-port-not-declared'
  | 'node-port-type'
  | 'node-port-range'
  | 'node-port-duplicate'
  | 'node-port-in-use'
  | 'node-ports-unknown'
  | 'port-not-found'
  | 'critical-port'
  | 'gateway-port-missing'
  | 'port-unused';

export interface PortFinding {
  code: PortFindingCode;
  severity: Severity;
  /** Identity of the finding across the state before and after an edit: code plus subject. */
  key: string;
  /** The Service port it is about (name, else number), when it is about one. */
  port?: string;
  /** `spec.ports[name].nodePort`-style field path, for forms. */
  field?: string;
  message: string;
  fix?: string;
  /** For `critical-port`: what breaks; applying needs an explicit confirmation. */
  breaks?: string;
  /** For `gateway-port-missing`: the Gateway and its server port (IST0162). */
  gateway?: string;
  serverPort?: number;
}

/** A change to one Service port, by name: add or change it, or remove it. */
export type PortEdit =
  | {
      action: 'set';
      name: string;
      port: number;
      targetPort?: number | string;
      nodePort?: number;
      protocol?: string;
      appProtocol?: string;
    }
  | { action: 'remove'; name: string };

/** The kube-apiserver's default `--service-node-port-range`. */
export const DEFAULT_NODE_PORT_RANGE = { min: 30000, max: 32767 } as const;
