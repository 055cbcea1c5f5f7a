import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTerminal, type TerminalSession } from '../helpers/tmux.js';
import { kubectl } from '../helpers/kubectl.js';
import { meshdeckMain } from '../helpers/meshdeck-bin.js';

const main = meshdeckMain;

describe('the gateway port editor in the cockpit', () => {
  let term: TerminalSession | undefined;
  afterEach(() => term?.close());

  it('checks an edit as it is typed, refuses a taken node port, and adds a TCP port after the review', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'meshdeck-e2e-'));
    term = startTerminal(`node ${main} demo --scenario healthy`, { columns: 180, rows: 60, env: { XDG_CACHE_HOME: cache } });
    const kubeconfig = join(cache, 'meshdeck', 'demo-kubeconfig.yaml');
    await term.waitFor((s) => s.includes('gateways 4/4 ready'), 'the healthy mesh');
    const nodePorts = (await kubectl(kubeconfig, ['--context', 'east', 'get', 'svc', 'istio-ingressgateway', '-n', 'istio-system', '-o', 'jsonpath={.spec.ports[0].nodePort}'])).stdout;
    term.press('pane.gateways');
    term.press('filter.start');
    term.type('^istio-ingressgateway$');
    term.press('prompt.submit', 'prompt');
    await term.waitFor((s) => /Gateways \(2 of \d+/.test(s), 'the ingress gateways');
    term.press('gateway.ports');
    await term.waitFor((s) => s.includes('Ports of gateway istio-system/istio-ingressgateway in east') && s.includes('Service ports:'), 'the ports as they are');
    term.sendKeys('Down');
    term.type('tcp-db');
    term.sendKeys('Down');
    term.type('31400');
    term.sendKeys('Down', 'Down');
    term.type(nodePorts);
    await term.waitFor((s) => new RegExp(`${nodePorts}.*(already|used|taken|given to both)`).test(s), 'the taken node port flagged while typing');
    // Clear the node port: one is allocated instead.
    term.sendKeys(...Array.from({ length: nodePorts.length }, () => 'BSpace'));
    await term.waitFor((s) => !new RegExp(`${nodePorts}.*(already|used|taken|given to both)`).test(s), 'the node port problem gone');
    term.press('wizard.next', 'wizard');
    await term.waitFor((s) => s.includes('y apply this plan'), 'the plan');
    expect((await kubectl(kubeconfig, ['--context', 'east', 'get', 'svc', 'istio-ingressgateway', '-n', 'istio-system', '-o', 'jsonpath={.spec.ports[*].port}'])).stdout).not.toContain('31400');
    term.press('wizard.confirm', 'wizard');
    await term.waitFor((s) => !s.includes('applying…') && /✓/.test(s), 'applied and verified', 60_000);
    expect((await kubectl(kubeconfig, ['--context', 'east', 'get', 'svc', 'istio-ingressgateway', '-n', 'istio-system', '-o', 'jsonpath={.spec.ports[*].port}'])).stdout).toContain('31400');
  });
});
