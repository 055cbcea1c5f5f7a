import { describe, expect, it } from 'vitest';
import { namespaceInjects, wouldInject } from '../../../source/actions/inject/predict.js';
import type { PodTemplateFacts } from '../../../source/actions/inject/types.js';

// Istio's webhooks per revision (namespace.*, object.*, rev.namespace.*, rev.object.*) and tags, as
// the simulator registers them (source/sim/istio/control-plane-manifests.ts) and Istio's charts do.

const DEFAULT = { revisions: ['default'], tags: {} };
const CANARY = { revisions: ['1-24'], tags: {} };
const TAGGED = { revisions: ['1-24'], tags: { default: '1-24' } };
const pod = (labels: Record<string, string> = {}, extra: Partial<PodTemplateFacts> = {}): PodTemplateFacts => ({ labels, manualSidecar: false, ...extra });

describe('wouldInject', () => {
  it.each([
    ['istio-injection=enabled with the default revision', DEFAULT, { 'istio-injection': 'enabled' }, pod(), true],
    ['istio-injection=enabled where only a revision runs', CANARY, { 'istio-injection': 'enabled' }, pod(), false],
    ['istio-injection=enabled where a default tag points at the revision', TAGGED, { 'istio-injection': 'enabled' }, pod(), true],
    ['istio-injection=disabled, even for a pod that asks', DEFAULT, { 'istio-injection': 'disabled' }, pod({ 'sidecar.istio.io/inject': 'true' }), false],
    ['istio.io/rev of an installed revision', CANARY, { 'istio.io/rev': '1-24' }, pod(), true],
    ['istio.io/rev of a revision that is gone', CANARY, { 'istio.io/rev': '1-20' }, pod(), false],
    ['istio.io/rev=default through the tag', TAGGED, { 'istio.io/rev': 'default' }, pod(), true],
    ['istio-injection wins over istio.io/rev', CANARY, { 'istio-injection': 'enabled', 'istio.io/rev': '1-24' }, pod(), false],
    ['no namespace label and nothing asked', DEFAULT, {}, pod(), false],
    ['no namespace label, pod label sidecar.istio.io/inject=true', DEFAULT, {}, pod({ 'sidecar.istio.io/inject': 'true' }), true],
    ['no namespace label, pod label istio.io/rev', CANARY, {}, pod({ 'istio.io/rev': '1-24' }), true],
    ['the pod opts out with the label', DEFAULT, { 'istio-injection': 'enabled' }, pod({ 'sidecar.istio.io/inject': 'false' }), false],
    ['the pod opts out with the annotation', DEFAULT, { 'istio-injection': 'enabled' }, pod({}, { injectAnnotation: 'false' }), false],
    ['the template lists istio-proxy itself (kube-inject, gateways)', DEFAULT, { 'istio-injection': 'disabled' }, pod({}, { manualSidecar: true }), true],
  ])('%s', (_what, istio, labels, template, expected) => {
    expect(wouldInject(istio, labels, template)).toBe(expected);
  });

  it('namespaceInjects is the answer for a pod that asks nothing', () => {
    expect(namespaceInjects(DEFAULT, { 'istio-injection': 'enabled' })).toBe(true);
    expect(namespaceInjects(DEFAULT, {})).toBe(false);
  });
});
