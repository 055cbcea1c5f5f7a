import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { remoteKubeconfig, remoteSecretEntries, remoteSecretObject, remoteSecretYaml } from '../../../source/actions/join/index.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'remote-secret');
const REMOTE_SECRET_MD = readFileSync(join(FIXTURES, 'REMOTE-SECRET.md'), 'utf8');

/** istioctl's golden output template (TestCreateRemoteSecrets' createKubeConfig), as published. */
function istioctlGolden(clusterName: string, secretName: string, key: string): string {
  const start = REMOTE_SECRET_MD.indexOf('createKubeConfig := func(clusterName, secretName, key string) string {');
  const open = REMOTE_SECRET_MD.indexOf('fmt.Sprintf(`', start) + 'fmt.Sprintf(`'.length;
  const close = REMOTE_SECRET_MD.indexOf('`, clusterName, secretName, key)', open);
  expect(start).toBeGreaterThan(0);
  return REMOTE_SECRET_MD.slice(open, close).replaceAll('%[1]s', clusterName).replaceAll('%[2]s', secretName).replaceAll('%[3]s', key);
}

/** The integration test's hand-written Secret (exec auth), which istioctl can never generate. */
function execAuthSecret(): Record<string, unknown> {
  const start = REMOTE_SECRET_MD.indexOf('t.ConfigIstio().YAML(ns, `') + 't.ConfigIstio().YAML(ns, `'.length;
  return parse(REMOTE_SECRET_MD.slice(start, REMOTE_SECRET_MD.indexOf('---', start))) as Record<string, unknown>;
}

// The values of the golden test: certificate-authority-data Y2FEYXRh is base64("caData").
const kubeconfig = remoteKubeconfig('primary', { server: 'server', caPem: 'caData', token: 'token' });

describe('the remote secret, shaped as istioctl create-remote-secret prints it', () => {
  it("is istioctl's published golden output, plus meshdeck's label and annotation and nothing else", () => {
    const ours = remoteSecretYaml('primary', kubeconfig);
    const meshdeckLines = ['    meshdeck.io/join-cluster: primary', '    app.kubernetes.io/managed-by: meshdeck'];
    const withoutMeshdeck = ours
      .split('\n')
      .filter((line) => !meshdeckLines.includes(line))
      .join('\n');
    // The golden test installs into istio-system-test; meshdeck writes to istio-system.
    expect(withoutMeshdeck).toBe(istioctlGolden('primary', 'istio-remote-secret-primary', 'primary').replace('namespace: istio-system-test', 'namespace: istio-system'));
    expect(ours.split('\n').filter((line) => meshdeckLines.includes(line))).toEqual(meshdeckLines);
  });

  it('is stored the way the API server keeps it: data, base64, one key named after the cluster', () => {
    const secret = remoteSecretObject('west', kubeconfig) as { metadata: { name: string; namespace: string; labels: Record<string, string>; annotations: Record<string, string> }; data: Record<string, string> };
    expect(secret.metadata).toEqual({
      name: 'istio-remote-secret-west',
      namespace: 'istio-system',
      labels: { 'app.kubernetes.io/managed-by': 'meshdeck', 'istio/multiCluster': 'true' },
      annotations: { 'meshdeck.io/join-cluster': 'west', 'networking.istio.io/cluster': 'west' },
    });
    expect(Object.keys(secret.data)).toEqual(['west']);
    expect(Buffer.from(secret.data['west']!, 'base64').toString('utf8')).toBe(kubeconfig);
  });

  it('has the same kubeconfig layout as the analyzer test Secret istio/istio keeps (bar preferences, which istioctl no longer writes)', () => {
    const published = parse(readFileSync(join(FIXTURES, 'multicluster-unknown-serviceregistry.yaml'), 'utf8')) as { stringData: Record<string, string> };
    const theirs = parse(Object.values(published.stringData)[0]!) as Record<string, unknown>;
    const ours = parse(kubeconfig) as Record<string, unknown>;
    const shape = (config: Record<string, unknown>) => ({
      keys: Object.keys(config).filter((k) => k !== 'preferences'),
      cluster: Object.keys((config['clusters'] as { cluster: object }[])[0]!.cluster),
      user: Object.keys((config['users'] as { user: object }[])[0]!.user),
    });
    expect(shape(ours)).toEqual(shape(theirs));
  });

  it('reads back what istiod reads: server, CA, token; and refuses exec users as istiod does', () => {
    const caPem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    const config = remoteKubeconfig('west', { server: 'https://10.0.0.5:6443', caPem, token: 'eyJhbGciOi.x.y' });
    expect(remoteSecretEntries({ west: config })).toEqual([{ clusterId: 'west', access: { server: 'https://10.0.0.5:6443', caPem, token: 'eyJhbGciOi.x.y' } }]);
    const exec = execAuthSecret() as { stringData: Record<string, string> };
    expect(remoteSecretEntries(exec.stringData)).toEqual([{ clusterId: 'bad', access: { server: 'https://127.0.0.1' }, error: 'the kubeconfig uses an exec or auth-provider plugin, which istiod does not run' }]);
    expect(remoteSecretEntries({ x: 'current-context: nowhere\n' })).toEqual([{ clusterId: 'x', error: 'the kubeconfig has no context "nowhere"' }]);
  });

  it('never shows the token or the CA in a plan', () => {
    const secret = remoteKubeconfig('west', { server: 'https://10.0.0.5:6443', caPem: 'PEM-OF-THE-CA', token: 'the-real-token' });
    const shown = remoteSecretYaml('west', secret, { redact: true });
    expect(shown).not.toContain('the-real-token');
    expect(shown).not.toContain(Buffer.from('PEM-OF-THE-CA').toString('base64'));
    expect(shown).toContain('        token: <the reader token, never shown>\n');
    expect(shown).toContain("        certificate-authority-data: <the API server's CA, base64>\n");
  });
});
