import type { Command } from './command.js';
import { UsageError, type OptionSpec, type ParsedOptions } from './args.js';

// `meshdeck inject enable|disable` and `meshdeck restart`: the CLI twins of the cockpit's `i` and `r`.
// The engine (and client-node) load only when a command runs.

const COMMON: OptionSpec[] = [
  { name: 'kubeconfig', kind: 'string', description: 'kubeconfig file (default: $KUBECONFIG or ~/.kube/config)', value: 'FILE' },
  { name: 'context', kind: 'string', description: 'contexts to act on, applied one at a time in this order (required)', value: 'a,b' },
  { name: 'namespace', kind: 'string', short: 'n', description: 'the namespace (required)', value: 'NAMESPACE' },
  { name: 'apply', kind: 'boolean', description: 'carry out the plan, then check the result (without it, only show the plan)' },
  { name: 'output', kind: 'string', short: 'o', description: 'text (default) or json', value: 'FORMAT' },
];

export type OutputFormat = 'text' | 'json';

export function commonOptions(options: ParsedOptions, command: string): { contexts: string[]; namespace: string; output: OutputFormat } {
  const contexts = String(options['context'] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (contexts.length === 0) throw new UsageError(`${command} needs --context (one or more, comma-separated)`, command);
  const namespace = options['namespace'];
  if (typeof namespace !== 'string' || namespace === '') throw new UsageError(`${command} needs -n NAMESPACE`, command);
  const output = String(options['output'] ?? 'text');
  if (output !== 'text' && output !== 'json') throw new UsageError(`--output must be text or json, got "${output}"`, command);
  return { contexts, namespace, output };
}

export const injectCommand: Command = {
  name: 'inject',
  summary: 'turn automatic sidecar injection on or off for a namespace (plan, --apply, check)',
  usage: [
    'meshdeck inject enable|disable --context C[,D] -n NAMESPACE [--restart] [--set-disabled] [--apply] [--output text|json] [--kubeconfig FILE]',
    '  (exit code 0: fine, 1: blocked, failed or not as wanted afterwards, 2: wrong usage)',
  ].join('\n'),
  takesArguments: true,
  options: [
    ...COMMON,
    { name: 'restart', kind: 'boolean', description: 'also restart the workloads whose running pods then lack (enable) or keep (disable) istio-proxy' },
    { name: 'set-disabled', kind: 'boolean', description: 'disable: label istio-injection=disabled rather than only removing the injection labels' },
  ],
  async run(options, positionals, ctx) {
    const [action, extra] = positionals;
    if (action !== 'enable' && action !== 'disable') throw new UsageError(action === undefined ? 'inject needs enable or disable' : `unknown inject action "${action}" (enable, disable)`, 'inject');
    if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`, 'inject');
    if (options['set-disabled'] && action !== 'disable') throw new UsageError('--set-disabled goes with inject disable', 'inject');
    const common = commonOptions(options, 'inject');
    const { runInject } = await import('./inject-run.js');
    return runInject({ ...common, kubeconfig: options['kubeconfig'] as string | undefined, apply: Boolean(options['apply']) }, { action, restart: Boolean(options['restart']), setDisabled: Boolean(options['set-disabled']) }, ctx);
  },
};

const KINDS: Record<string, 'Deployment' | 'StatefulSet' | 'DaemonSet'> = {
  deploy: 'Deployment',
  deployment: 'Deployment',
  deployments: 'Deployment',
  sts: 'StatefulSet',
  statefulset: 'StatefulSet',
  statefulsets: 'StatefulSet',
  ds: 'DaemonSet',
  daemonset: 'DaemonSet',
  daemonsets: 'DaemonSet',
};

/** `NAME` (a Deployment, else a StatefulSet or DaemonSet of that name), `deploy/NAME`, `sts/NAME`, `ds/NAME`. */
export function parseWorkload(text: string): { kind?: 'Deployment' | 'StatefulSet' | 'DaemonSet'; name: string } {
  const parts = text.split('/');
  if (parts.length === 1 && parts[0]) return { name: parts[0] };
  const kind = KINDS[parts[0]!.toLowerCase()];
  if (parts.length !== 2 || !kind || !parts[1]) throw new UsageError(`WORKLOAD must be NAME, deploy/NAME, sts/NAME or ds/NAME, got "${text}"`, 'restart');
  return { kind, name: parts[1] };
}

export const restartCommand: Command = {
  name: 'restart',
  summary: 'rollout-restart workloads so that their pods get (or lose) istio-proxy, one cluster at a time',
  usage: [
    'meshdeck restart --context C[,D] -n NAMESPACE DEPLOYMENT|--missing-sidecar [--force] [--apply] [--output text|json] [--kubeconfig FILE]',
    '  (DEPLOYMENT may be NAME, deploy/NAME, sts/NAME or ds/NAME; exit code 0: fine, 1: blocked or failed, 2: wrong usage)',
  ].join('\n'),
  takesArguments: true,
  options: [
    ...COMMON,
    { name: 'missing-sidecar', kind: 'boolean', description: 'every workload of the namespace whose pods lack the istio-proxy the namespace asks for' },
    { name: 'force', kind: 'boolean', description: 'restart the named workload even when its pods already are as injection makes them' },
  ],
  async run(options, positionals, ctx) {
    if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`, 'restart');
    const missing = Boolean(options['missing-sidecar']);
    if (positionals[0] !== undefined && missing) throw new UsageError('give either a workload or --missing-sidecar, not both', 'restart');
    if (positionals[0] === undefined && !missing) throw new UsageError('restart needs a workload (DEPLOYMENT) or --missing-sidecar', 'restart');
    if (options['force'] && missing) throw new UsageError('--force goes with a named workload', 'restart');
    const workload = positionals[0] !== undefined ? parseWorkload(positionals[0]) : undefined;
    const common = commonOptions(options, 'restart');
    const { runRestart } = await import('./inject-run.js');
    return runRestart({ ...common, kubeconfig: options['kubeconfig'] as string | undefined, apply: Boolean(options['apply']) }, workload ? { workload, force: Boolean(options['force']) } : { missingSidecar: true }, ctx);
  },
};
