import { afterEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { istioIdentity } from '../../source/mesh/istio-config.js';
import { kubeconfigServer } from '../../source/kube/project.js';
import type { KubeObject } from '../../source/kube/types.js';
import { snapshot } from '../helpers/snapshot.js';

/**
 * YAML that meshdeck reads from the clusters while the cockpit is on screen: the mesh config and the
 * injector values in istio-system ConfigMaps, and the kubeconfig inside each remote secret. Anyone who
 * can edit those objects writes this text, so it must never throw, and the YAML reader must not print
 * its warnings (Node writes process warnings to stderr, across the cockpit's screen).
 */

const configMap = (name: string, data: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'istio-system' }, data });
const MESH = 'defaultConfig:\n  meshId: mesh1\ntrustDomain: cluster.local\n';
const VALUES = JSON.stringify({ global: { meshID: 'mesh1', multiCluster: { clusterName: 'east' }, network: 'network1' } });
const KUBECONFIG = 'apiVersion: v1\nclusters:\n- cluster:\n    server: https://10.0.0.1:6443\n  name: east\ncontexts:\n- context: {cluster: east, user: east}\n  name: east\ncurrent-context: east\n';

const yamlPieces = fc.constantFrom(':', ': ', '- ', '  ', '\n', '\t', '"', "'", '{', '}', '[', ']', '&a ', '*a', '<<: *a\n', '!!binary ', '!custom ', '%YAML 1.1\n', '---\n', '...\n', '? ', '|', '>', '#', 'null', '~', '1e999', '0x1F');
/** The given text with a few pieces of YAML syntax (or any text) put in at random places, or cut short. */
const mangled = (base: string) =>
  fc.tuple(fc.array(fc.tuple(fc.nat(), fc.oneof(yamlPieces, fc.string({ maxLength: 6 }))), { maxLength: 5 }), fc.option(fc.nat(), { nil: undefined })).map(([inserts, cut]) => {
    let text = base;
    for (const [at, piece] of inserts) {
      const i = at % (text.length + 1);
      text = text.slice(0, i) + piece + text.slice(i);
    }
    return cut === undefined ? text : text.slice(0, cut % (text.length + 1));
  });
const anyText = (base: string) => fc.oneof(mangled(base), fc.string(), fc.anything().map((v) => stringify(v)));

describe('YAML read from the clusters while the cockpit runs', () => {
  const warnings = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
  afterEach(() => warnings.mockClear());

  it('reads the real shapes', () => {
    const s = snapshot({ objects: { istioConfigMaps: [configMap('istio', { mesh: MESH }), configMap('istio-sidecar-injector', { values: VALUES })] } });
    expect(istioIdentity(s)).toEqual({ meshId: 'mesh1', clusterId: 'east', network: 'network1', trustDomain: 'cluster.local' });
    expect(kubeconfigServer(KUBECONFIG)).toBe('https://10.0.0.1:6443');
  });

  it('mesh config and injector values of any shape: strings or nothing, never a throw or a printed warning', () => {
    fc.assert(
      fc.property(anyText(MESH), anyText(VALUES), (mesh, values) => {
        const s = snapshot({ objects: { istioConfigMaps: [configMap('istio', { mesh }), configMap('istio-sidecar-injector', { values })] } });
        const identity = istioIdentity(s);
        for (const value of Object.values(identity)) expect(typeof value).toBe('string');
      }),
      { numRuns: 500 },
    );
    expect(warnings.mock.calls.map((c) => String(c[0]))).toEqual([]);
  });

  it('a remote secret holding any text: its server or nothing, never a throw or a printed warning', () => {
    fc.assert(
      fc.property(anyText(KUBECONFIG), (text) => {
        const server = kubeconfigServer(text);
        expect(server === undefined || typeof server === 'string').toBe(true);
      }),
      { numRuns: 500 },
    );
    expect(warnings.mock.calls.map((c) => String(c[0]))).toEqual([]);
  });
});
