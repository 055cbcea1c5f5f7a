import { chmodSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { stringify } from 'yaml';

const SERVER_FIELDS = ['uid', 'resourceVersion', 'creationTimestamp', 'managedFields', 'generation', 'selfLink'];

/**
 * Saves a secret, as the API server returned it, to a new file (mode 0600) in a 0700 directory, in a
 * form `kubectl apply -f` accepts (server-set metadata removed). Never overwrites: a taken name gets
 * a numbered suffix. Returns the path written.
 */
export function writeSecretBackup(path: string, secret: Record<string, unknown>, context: string, at: Date): string {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // The backup directory is meshdeck's own: tighten it if something loosened it.
  if ((statSync(dir).mode & 0o077) !== 0) chmodSync(dir, 0o700);
  const metadata = { ...((secret['metadata'] as Record<string, unknown> | undefined) ?? {}) };
  for (const field of SERVER_FIELDS) delete metadata[field];
  const object = { apiVersion: 'v1', kind: 'Secret', ...secret, metadata };
  const text = [
    `# ${String(metadata['namespace'] ?? 'istio-system')}/${String(metadata['name'] ?? 'cacerts')} of context ${context}, saved by meshdeck at ${at.toISOString()} before replacing it.`,
    `# Restore: kubectl --context ${context} apply -f <this file>, then kubectl --context ${context} rollout restart deploy/istiod -n istio-system`,
    stringify(object),
  ].join('\n');
  let target = path;
  for (let n = 2; existsSync(target); n++) target = path.replace(/\.yaml$/, `-${n}.yaml`);
  const fd = openSync(target, 'wx', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  chmodSync(target, 0o600);
  return target;
}
