import { mkdirSync, writeFileSync, renameSync, chmodSync } from 'node:fs';
import { dirname } from 'node:path';
import { stringify } from 'yaml';

export interface KubeconfigEntry {
  name: string;
  server: string;
  token: string;
}

/** A kubeconfig with one context per cluster (context, cluster and user named after it). */
export function renderKubeconfig(entries: KubeconfigEntry[], caCertPem: string): string {
  const ca = Buffer.from(caCertPem).toString('base64');
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    'current-context': entries[0]?.name ?? '',
    clusters: entries.map((e) => ({ name: e.name, cluster: { server: e.server, 'certificate-authority-data': ca } })),
    users: entries.map((e) => ({ name: `${e.name}-admin`, user: { token: e.token } })),
    contexts: entries.map((e) => ({ name: e.name, context: { cluster: e.name, user: `${e.name}-admin` } })),
  });
}

/** Writes atomically with mode 0600: the file holds bearer tokens. */
export function writeKubeconfig(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, content, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
}
