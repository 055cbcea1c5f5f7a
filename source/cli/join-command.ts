import type { Command } from './command.js';
import { UsageError, type OptionSpec, type ParsedOptions } from './args.js';
import { DEFAULT_SYNC_TIMEOUT_SECONDS, joinRun, unjoinRun } from './join-run.js';

const COMMON: OptionSpec[] = [
  { name: 'primary', kind: 'string', description: "context of the primary cluster (runs istiod)", value: 'CONTEXT' },
  { name: 'remote', kind: 'string', description: 'context of the remote cluster', value: 'CONTEXT' },
  { name: 'kubeconfig', kind: 'string', description: 'kubeconfig file (default: $KUBECONFIG or ~/.kube/config)', value: 'FILE' },
  { name: 'apply', kind: 'boolean', description: 'carry out the plan (without it, only show it)' },
  { name: 'timeout', kind: 'integer', description: `seconds to wait for istiod (default ${DEFAULT_SYNC_TIMEOUT_SECONDS})`, value: 'SECONDS', min: 1, max: 3600 },
  { name: 'output', kind: 'string', description: 'text (default) or json', value: 'FORMAT' },
];

const JOIN_ONLY: OptionSpec[] = [
  { name: 'cluster-name', kind: 'string', description: "the remote's cluster ID (default: what its Istio says, else the context name)", value: 'NAME' },
  { name: 'network', kind: 'string', description: "the remote's network (default: its istio-system label, else the primary's)", value: 'NAME' },
  { name: 'mesh-id', kind: 'string', description: "mesh ID (default: the primary's)", value: 'ID' },
  { name: 'remote-api-server', kind: 'string', description: "the remote API server address istiod uses (default: the kubeconfig's)", value: 'URL' },
  { name: 'out', kind: 'string', description: 'directory for the remote profile files (default ./meshdeck-join)', value: 'DIR' },
];

function checkOutput(options: ParsedOptions, command: string): void {
  const output = options['output'];
  if (output !== undefined && output !== 'text' && output !== 'json') throw new UsageError(`--output must be text or json, got "${String(output)}"`, command);
}

export const joinCommand: Command = {
  name: 'join',
  summary: "attach a remote cluster to a primary's control plane: preflight, plan, apply, verify",
  usage: [
    'meshdeck join --primary CTX --remote CTX [--cluster-name NAME] [--network NAME] [--mesh-id ID] [--remote-api-server URL] [--out DIR] [--apply] [--timeout SECONDS] [--output json]',
    '  (without --apply: the preflight and the plan, nothing changed; exit code 0: fine, 1: blocked or failed, 2: wrong usage)',
  ].join('\n'),
  options: [...COMMON.slice(0, 2), ...JOIN_ONLY, ...COMMON.slice(2)],
  async run(options, _positionals, ctx) {
    checkOutput(options, 'join');
    return joinRun(options, ctx);
  },
};

export const unjoinCommand: Command = {
  name: 'unjoin',
  summary: 'detach a remote cluster that meshdeck join attached, removing exactly what join created',
  usage: ['meshdeck unjoin --primary CTX --remote CTX [--apply] [--timeout SECONDS] [--output json]', '  (without --apply: the plan, nothing changed)'].join('\n'),
  options: COMMON,
  async run(options, _positionals, ctx) {
    checkOutput(options, 'unjoin');
    return unjoinRun(options, ctx);
  },
};
