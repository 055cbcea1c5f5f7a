import type { JsonObject, KubeObject } from '../objects.js';

export function isPodReady(pod: KubeObject): boolean {
  const conditions = ((pod['status'] as JsonObject | undefined)?.['conditions'] as JsonObject[] | undefined) ?? [];
  return conditions.some((c) => c['type'] === 'Ready' && c['status'] === 'True');
}

export function podIP(pod: KubeObject): string | undefined {
  return ((pod['status'] as JsonObject | undefined)?.['podIP'] as string | undefined) || undefined;
}
