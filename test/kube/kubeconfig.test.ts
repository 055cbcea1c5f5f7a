import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { KubeConfig } from '@kubernetes/client-node';
import { KubeconfigError, kubeconfigFiles, loadKubeconfig, selectContexts, singleContextYaml } from '../../source/kube/kubeconfig.js';

const root = mkdtempSync(join(tmpdir(), 'meshdeck-kubeconfig-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;
function file(text: string, dir = join(root, `d${++counter}`)): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'config');
  writeFileSync(path, text);
  return path;
}

/** A kubeconfig as `kind` or `gcloud` writes one: clusters, users (token / client cert), contexts. */
function kubeconfig(parts: { clusters?: object[]; users?: object[]; contexts?: object[]; current?: string }): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    `current-context: ${parts.current ?? '""'}`,
    `clusters: ${JSON.stringify(parts.clusters ?? [])}`,
    `users: ${JSON.stringify(parts.users ?? [])}`,
    `contexts: ${JSON.stringify(parts.contexts ?? [])}`,
    'preferences: {}',
    '',
  ].join('\n');
}
const cluster = (name: string, server: unknown = `https://${name}.example:6443`, extra: object = {}) => ({ name, cluster: { server, 'certificate-authority-data': 'LS0tLS1CRUdJTi...', ...extra } });
const tokenUser = (name: string, token = `token-of-${name}`) => ({ name, user: { token } });
const context = (name: string, clusterName = name, user = name, namespace?: string) => ({ name, context: { cluster: clusterName, user, ...(namespace ? { namespace } : {}) } });

function errorOf(fn: () => unknown): KubeconfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(KubeconfigError);
    return error as KubeconfigError;
  }
  throw new Error('expected a KubeconfigError');
}

describe('kubeconfigFiles', () => {
  it.each([
    ['--kubeconfig wins over KUBECONFIG', '/etc/kc.yaml', { KUBECONFIG: '/a:/b', HOME: '/home/sre' }, ['/etc/kc.yaml']],
    ['KUBECONFIG is a path list; empty entries are skipped', undefined, { KUBECONFIG: '/a::/b:', HOME: '/home/sre' }, ['/a', '/b']],
    ['an empty KUBECONFIG means the default', undefined, { KUBECONFIG: '', HOME: '/home/sre' }, ['/home/sre/.kube/config']],
    ['the default is ~/.kube/config', undefined, { HOME: '/home/sre' }, ['/home/sre/.kube/config']],
  ])('%s', (_scenario, flag, env, expected) => {
    expect(kubeconfigFiles(flag, env)).toEqual(expected);
  });
});

describe('loadKubeconfig and selectContexts: every problem is one line that says what to do', () => {
  const good = () => kubeconfig({ clusters: [cluster('east'), cluster('west')], users: [tokenUser('east'), tokenUser('west')], contexts: [context('east'), context('west')], current: 'east' });

  it.each<[string, () => unknown, RegExp]>([
    ['a missing file', () => loadKubeconfig([join(root, 'nope', 'config')]), /does not exist; pass --kubeconfig FILE, set KUBECONFIG, or try 'meshdeck demo'/],
    ['every file of KUBECONFIG missing', () => loadKubeconfig([join(root, 'nope1'), join(root, 'nope2')]), /none of the kubeconfig files exist .*; pass --kubeconfig FILE/],
    ['a directory', () => loadKubeconfig([root]), /is a directory; pass the file itself with --kubeconfig FILE/],
    ['malformed YAML', () => loadKubeconfig([file('apiVersion: v1\nclusters:\n  - name: east\n    cluster: {server: "https://x\n')]), /is not valid YAML \(line \d+\).*--kubeconfig/],
    ['YAML that is not a mapping', () => loadKubeconfig([file('- just\n- a list\n')]), /is not a kubeconfig/],
    ['"contexts" that is not a list', () => loadKubeconfig([file('contexts: {east: {}}\n')]), /"contexts" must be a list/],
    ['a context without a name', () => loadKubeconfig([file(kubeconfig({ contexts: [{ context: { cluster: 'east' } }] }))]), /contexts\[0\] has no name/],
    ['no contexts', () => loadKubeconfig([file(kubeconfig({ clusters: [cluster('east')] }))]), /has no contexts; add one with 'kubectl config set-context' or try 'meshdeck demo'/],
    ['an empty file', () => loadKubeconfig([file('')]), /has no contexts/],
    ['a context naming a missing cluster', () => selectContexts(loadKubeconfig([file(kubeconfig({ clusters: [cluster('east')], contexts: [context('east'), context('gone')] }))]), undefined), /context "gone" .* names cluster "gone", which is not defined; fix the kubeconfig or pick other contexts with --context/],
    ['a cluster without a server', () => selectContexts(loadKubeconfig([file(kubeconfig({ clusters: [{ name: 'east', cluster: {} }], contexts: [context('east')] }))]), undefined), /cluster "east" .* has no valid server URL \(got null\); fix the kubeconfig/],
    ['a server URL that is not http(s)', () => selectContexts(loadKubeconfig([file(kubeconfig({ clusters: [cluster('east', 'ftp://east:6443')], contexts: [context('east')] }))]), undefined), /no valid server URL \(got "ftp:\/\/east:6443"\)/],
    ['a server URL without a host', () => selectContexts(loadKubeconfig([file(kubeconfig({ clusters: [cluster('east', 'https://')], contexts: [context('east')] }))]), undefined), /no valid server URL \(got "https:\/\/"\)/],
    ['a server URL with a space in the host', () => selectContexts(loadKubeconfig([file(kubeconfig({ clusters: [cluster('east', 'https://east cluster:6443')], contexts: [context('east')] }))]), undefined), /no valid server URL/],
    ['--context naming a context that is not there', () => selectContexts(loadKubeconfig([file(good())]), ['east', 'nrth']), /context "nrth" is not in the kubeconfig \(have: east, west\); fix --context/],
  ])('%s', (_scenario, fn, message) => {
    const error = errorOf(fn);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('\n');
  });

  it('--context can pick the good contexts of a kubeconfig that also has a broken one', () => {
    const config = loadKubeconfig([file(kubeconfig({ clusters: [cluster('east'), cluster('west')], users: [tokenUser('east'), tokenUser('west')], contexts: [context('east'), context('old', 'decommissioned'), context('west')] }))]);
    expect(selectContexts(config, ['west', 'east']).map((c) => c.name)).toEqual(['west', 'east']);
    expect(errorOf(() => selectContexts(config, ['old'])).message).toMatch(/context "old" .* names cluster "decommissioned"/);
  });

  it('--context naming a context twice opens it once', () => {
    expect(selectContexts(loadKubeconfig([file(good())]), ['east', 'east', 'west']).map((c) => c.name)).toEqual(['east', 'west']);
  });

  it('selects every context when --context is not given, and keeps the current context', () => {
    const config = loadKubeconfig([file(good())]);
    expect(config.currentContext).toBe('east');
    expect(selectContexts(config, undefined).map((c) => c.name)).toEqual(['east', 'west']);
  });

  it('merges KUBECONFIG files the way kubectl does: the first file to define a name wins', () => {
    const first = file(kubeconfig({ clusters: [cluster('east', 'https://first.example:6443')], users: [tokenUser('east', 'first-token')], contexts: [context('east', 'east', 'east', 'shop')], current: 'east' }));
    const second = file(kubeconfig({ clusters: [cluster('east', 'https://second.example:6443'), cluster('west')], users: [tokenUser('east', 'second-token'), tokenUser('west')], contexts: [context('east', 'west', 'west'), context('west')], current: 'west' }));
    const config = loadKubeconfig([first, join(root, 'missing-in-the-middle'), second]);
    expect(config.currentContext).toBe('east');
    expect(config.contexts.map((c) => c.name)).toEqual(['east', 'west']);
    const east = config.contexts[0]!;
    expect(east.namespace).toBe('shop');
    expect((east.cluster['cluster'] as { server: string }).server).toBe('https://first.example:6443');
    expect((east.user['user'] as { token: string }).token).toBe('first-token');
  });
});

describe('singleContextYaml', () => {
  const dirA = join(root, 'a');
  const dirB = join(root, 'b', 'nested');
  const fileA = file(kubeconfig({ clusters: [cluster('east', 'https://east.example:6443', { 'certificate-authority': 'ca/east-ca.crt', 'certificate-authority-data': undefined }), cluster('west')], users: [tokenUser('west', 'west-secret-token')], contexts: [] }), dirA);
  const fileB = file(
    kubeconfig({
      users: [
        { name: 'east-admin', user: { 'client-certificate': 'certs/admin.crt', 'client-key': '/etc/keys/admin.key', tokenFile: 'token' } },
        { name: 'east-exec', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: './bin/get-token', args: ['--cluster', 'east'] } } },
        { name: 'east-path-exec', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'gke-gcloud-auth-plugin' } } },
      ],
      contexts: [context('east', 'east', 'east-admin', 'payments'), context('west'), context('east-exec', 'east', 'east-exec'), context('east-path', 'east', 'east-path-exec')],
    }),
    dirB,
  );
  const contexts = loadKubeconfig([fileA, fileB]).contexts;
  const yamlOf = (name: string) => parse(singleContextYaml(contexts.find((c) => c.name === name)!));

  it('holds only its own cluster and user', () => {
    const east = yamlOf('east');
    expect(east.clusters.map((c: { name: string }) => c.name)).toEqual(['east']);
    expect(east.users.map((u: { name: string }) => u.name)).toEqual(['east-admin']);
    expect(east.contexts).toEqual([{ name: 'east', context: { cluster: 'east', user: 'east-admin', namespace: 'payments' } }]);
    expect(east['current-context']).toBe('east');
    expect(singleContextYaml(contexts.find((c) => c.name === 'east')!)).not.toContain('west-secret-token');
    expect(JSON.stringify(east)).not.toContain('baseDir');
  });

  it('resolves relative certificate paths against the file that defined them, as kubectl does', () => {
    const east = yamlOf('east');
    expect(east.clusters[0].cluster['certificate-authority']).toBe(join(dirA, 'ca', 'east-ca.crt'));
    expect(east.users[0].user['client-certificate']).toBe(join(dirB, 'certs', 'admin.crt'));
    expect(east.users[0].user['client-key']).toBe('/etc/keys/admin.key');
    expect(east.users[0].user.tokenFile).toBe(join(dirB, 'token'));
  });

  it('resolves a relative exec plugin path, but not a command looked up on PATH', () => {
    expect(yamlOf('east-exec').users[0].user.exec.command).toBe(join(dirB, 'bin', 'get-token'));
    expect(yamlOf('east-path').users[0].user.exec.command).toBe('gke-gcloud-auth-plugin');
  });

  it('loads into client-node as exactly one context', () => {
    const config = new KubeConfig();
    config.loadFromString(singleContextYaml(contexts.find((c) => c.name === 'west')!));
    expect(config.getContexts().map((c) => c.name)).toEqual(['west']);
    expect(config.getCurrentCluster()?.server).toBe('https://west.example:6443');
    expect(config.getCurrentUser()?.token).toBe('west-secret-token');
    expect(config.getUsers()).toHaveLength(1);
  });
});
