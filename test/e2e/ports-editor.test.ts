import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { startTerminal, type TerminalSession } from '../helpers/tmux.js';
import { kubectl } from '../helpers/kubectl.js';
import { meshdeckMain } from '../helpers/meshdeck-bin.js';

const main = meshdeckMain;

/** Opens east's ingress gateway in the port editor. */
async function openIngressPorts(term: TerminalSession): Promise<string> {
  term.press('pane.gateways');
  term.press('filter.start');
  term.type('^istio-ingressgateway$');
  term.press('prompt.submit', 'prompt');
  await term.waitFor((s) => /Gateways \(2 of \d+/.test(s), 'the ingress gateways');
  term.press('gateway.ports');
  return term.waitFor((s) => s.includes('Service ports:'), 'the ports as they are');
}

/** Opens east's ingress gateway in the port editor, types a TCP port tcp-db 31400 and asks for the plan. */
async function planTcpDbPort(term: TerminalSession): Promise<void> {
  await openIngressPorts(term);
  term.sendKeys('Down');
  term.type('tcp-db');
  term.sendKeys('Down');
  term.type('31400');
  term.press('wizard.next', 'wizard');
}

describe('the gateway port editor in the cockpit', () => {
  let term: TerminalSession | undefined;
  afterEach(() => term?.close());

  it('checks an edit as it is typed, refuses a taken node port, and adds a TCP port after the review', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'meshdeck-e2e-'));
    term = startTerminal(`node ${main} demo --scenario healthy`, { columns: 180, rows: 60, env: { XDG_CACHE_HOME: cache } });
    const kubeconfig = join(cache, 'meshdeck', 'demo-kubeconfig.yaml');
    await term.waitFor((s) => s.includes('gateways 4/4 ready'), 'the healthy mesh');
    const nodePorts = (await kubectl(kubeconfig, ['--context', 'east', 'get', 'svc', 'istio-ingressgateway', '-n', 'istio-system', '-o', 'jsonpath={.spec.ports[0].nodePort}'])).stdout;
    expect(await openIngressPorts(term)).toContain('Ports of gateway istio-system/istio-ingressgateway in east');
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

  it('with --readonly the editor still plans, but its review says it cannot apply and y changes nothing', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'meshdeck-e2e-'));
    term = startTerminal(`node ${main} demo --scenario healthy --readonly`, { columns: 180, rows: 60, env: { XDG_CACHE_HOME: cache } });
    const kubeconfig = join(cache, 'meshdeck', 'demo-kubeconfig.yaml');
    await term.waitFor((s) => s.includes('meshdeck read-only') && s.includes('gateways 4/4 ready'), 'the read-only header');
    await planTcpDbPort(term);
    const review = await term.waitFor((s) => s.includes('read-only: this plan cannot be applied (--readonly)'), 'the read-only review');
    expect(review).not.toContain('y apply this plan');
    expect(review).toContain('31400');
    term.press('wizard.confirm', 'wizard');
    await term.waitFor((s) => s.includes('read-only: applying would change the clusters and is off'), 'y refused');
    expect((await kubectl(kubeconfig, ['--context', 'east', 'get', 'svc', 'istio-ingressgateway', '-n', 'istio-system', '-o', 'jsonpath={.spec.ports[*].port}'])).stdout).not.toContain('31400');
  });

  it('saves the values of a Helm-managed gateway to a file: the chart layout, never over a file without y, a clear line for a bad path', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'meshdeck-e2e-'));
    const cwd = mkdtempSync(join(tmpdir(), 'meshdeck-e2e-cwd-'));
    term = startTerminal(`sh -c 'cd ${cwd} && exec node ${main} demo --scenario healthy'`, { columns: 180, rows: 60, env: { XDG_CACHE_HOME: cache } });
    const kubeconfig = join(cache, 'meshdeck', 'demo-kubeconfig.yaml');
    await term.waitFor((s) => s.includes('gateways 4/4 ready'), 'the healthy mesh');
    // As `helm install istio-ingressgateway istio/gateway` marks what it renders.
    const svc = ['--context', 'east', '-n', 'istio-system', 'svc', 'istio-ingressgateway'];
    expect((await kubectl(kubeconfig, ['annotate', ...svc, 'meta.helm.sh/release-name=istio-ingressgateway', 'meta.helm.sh/release-namespace=istio-system'])).code).toBe(0);
    expect((await kubectl(kubeconfig, ['label', ...svc, 'helm.sh/chart=gateway-1.24.0', 'app.kubernetes.io/managed-by=Helm'])).code).toBe(0);
    await planTcpDbPort(term);
    await term.waitFor((s) => s.includes('y apply this plan') && s.includes('s save the values') && s.includes('managed by Helm'), 'the plan with the Helm warning');

    // The default: the gateway chart's values, in the working directory.
    const valuesFile = join(cwd, 'istio-ingressgateway-ports-values.yaml');
    term.press('ports.saveValues', 'wizard');
    await term.waitFor((s) => s.includes('save to: istio-ingressgateway-ports-values.yaml█   (values for the gateway chart (service.ports))'), 'the save prompt');
    term.press('wizard.next', 'wizard');
    await term.waitFor((s) => s.includes(`✓ wrote values for the gateway chart (service.ports) to ${valuesFile}`), 'the file written');
    const chart = (parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'gateway-values', 'gateway-values.yaml'), 'utf8')) as any)['_internal_defaults_do_not_set'];
    const values = parse(readFileSync(valuesFile, 'utf8')) as any;
    expect(Object.keys(values)).toEqual(['service']);
    const ports = values['service']['ports'] as Record<string, unknown>[];
    expect(ports.map((p) => p['name'])).toEqual(['status-port', 'http2', 'https', 'tls', 'tcp-db']);
    // Every entry laid out as the chart's own defaults (same keys, same order).
    for (const port of ports) expect(Object.keys(port)).toEqual(Object.keys(chart['service']['ports'][0]));
    expect(ports.at(-1)).toEqual({ name: 'tcp-db', port: 31400, protocol: 'TCP', targetPort: 31400 });

    // The same name again: refused until y; Esc keeps the file as it is.
    writeFileSync(valuesFile, '# edited by hand\n');
    term.press('ports.saveValues', 'wizard');
    await term.waitFor((s) => s.includes('save to: istio-ingressgateway-ports-values.yaml'), 'the save prompt again');
    term.press('wizard.next', 'wizard');
    await term.waitFor((s) => s.includes(`${valuesFile} exists: y replaces it, Esc picks another name`), 'the overwrite question');
    term.press('app.back', 'wizard');
    await term.waitFor((s) => s.includes('Enter write · Tab other format'), 'back at the name');
    expect(readFileSync(valuesFile, 'utf8')).toBe('# edited by hand\n');
    term.press('wizard.next', 'wizard');
    await term.waitFor((s) => s.includes('y replace the file'), 'the overwrite question again');
    term.press('wizard.confirm', 'wizard');
    await term.waitFor((s) => s.includes(`to ${valuesFile} (replaced the old file)`), 'replaced after y');
    expect(Object.keys(parse(readFileSync(valuesFile, 'utf8')) as object)).toEqual(['service']);

    // Tab: the IstioOperator overlay, under its own default name.
    term.press('ports.saveValues', 'wizard');
    term.sendKeys('Tab', 'Tab');
    await term.waitFor((s) => s.includes('save to: istio-ingressgateway-ports-istiooperator.yaml█   (IstioOperator overlay'), 'the overlay chosen');
    term.press('wizard.next', 'wizard');
    const overlayFile = join(cwd, 'istio-ingressgateway-ports-istiooperator.yaml');
    await term.waitFor((s) => s.includes('✓ wrote IstioOperator overlay') && existsSync(overlayFile), 'the overlay written');
    const overlay = parse(readFileSync(overlayFile, 'utf8')) as any;
    expect(overlay['kind']).toBe('IstioOperator');
    expect(overlay['spec']['components']['ingressGateways'][0]['k8s']['service']['ports'].at(-1)).toMatchObject({ name: 'tcp-db', port: 31400 });

    // A directory that does not exist: one line that says so, nothing written, the editor still open.
    term.press('ports.saveValues', 'wizard');
    term.sendKeys(...Array.from({ length: 60 }, () => 'BSpace'));
    term.type(join(cwd, 'missing', 'x.yaml'));
    term.press('wizard.next', 'wizard');
    const screen = await term.waitFor((s) => s.includes('the directory') && s.includes('does not exist'), 'the error line');
    expect(screen).not.toMatch(/ENOENT|at .*\.js:\d+/);
    expect(existsSync(join(cwd, 'missing'))).toBe(false);
    expect(screen).toContain('y apply this plan');
  });
});
