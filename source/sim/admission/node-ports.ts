import type { JsonObject, KubeObject } from '../objects.js';
import { findResource } from '../resources/registry.js';
import type { AdmissionContext } from './context.js';

export const NODE_PORT_RANGE = { min: 30000, max: 32767 } as const;

/** Node ports used by Services other than `except`, with the Service that holds each. */
export function nodePortsInUse(ctx: AdmissionContext, except?: KubeObject): Map<number, string> {
  const services = findResource('', 'services')!;
  const used = new Map<number, string>();
  for (const service of ctx.store.list(services)) {
    if (except && service.metadata.namespace === except.metadata.namespace && service.metadata.name === except.metadata.name) continue;
    for (const port of ((service['spec'] as JsonObject | undefined)?.['ports'] as JsonObject[] | undefined) ?? []) {
      if (typeof port['nodePort'] === 'number') used.set(port['nodePort'], `${service.metadata.namespace}/${service.metadata.name}`);
    }
  }
  return used;
}

export function allocateNodePort(ctx: AdmissionContext, service: KubeObject, alsoTaken: Set<number>): number {
  const used = nodePortsInUse(ctx, service);
  const span = NODE_PORT_RANGE.max - NODE_PORT_RANGE.min + 1;
  const start = Math.floor(Math.random() * span);
  for (let i = 0; i < span; i++) {
    const candidate = NODE_PORT_RANGE.min + ((start + i) % span);
    if (!used.has(candidate) && !alsoTaken.has(candidate)) return candidate;
  }
  throw new Error('node port range exhausted');
}
