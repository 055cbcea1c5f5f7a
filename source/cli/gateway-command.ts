import type { Command, CommandContext } from './command.js';
import { UsageError, type OptionSpec, type ParsedOptions } from './args.js';

const OPTIONS: OptionSpec[] = [
  { name: 'kubeconfig', kind: 'string', description: 'kubeconfig file (default: $KUBECONFIG or ~/.kube/config)', value: 'FILE' },
  { name: 'context', kind: 'string', description: 'the context of the gateway\'s cluster (one)', value: 'C' },
  { name: 'name', kind: 'string', description: 'set-port, remove-port: the Service port name (tcp-db, https-admin, ...)', value: 'NAME' },
  { name: 'port', kind: 'integer', description: 'set-port: the Service port number', value: 'N' },
  { name: 'target-port', kind: 'string', description: 'set-port: the port the gateway pods listen on (default: the port; 8080/8443 for 80/443 where Envoy cannot bind them)', value: 'N' },
  { name: 'node-port', kind: 'integer', description: 'set-port: a fixed node port (NodePort and LoadBalancer Services; default: Kubernetes picks one)', value: 'N' },
  { name: 'protocol', kind: 'string', description: 'set-port: TCP (default), UDP or SCTP', value: 'TCP' },
  { name: 'app-protocol', kind: 'string', description: 'set-port: appProtocol, for a name without a protocol prefix (http, tcp, tls, ...)', value: 'P' },
  { name: 'update-gateways', kind: 'boolean', description: 'set-port, remove-port: also move (or drop) Gateway servers on a port that is renumbered (or removed)' },
  { name: 'confirm-critical', kind: 'boolean', description: 'set-port, remove-port: allow removing or moving 15021 (and 15443, 15012, 15017 on east-west gateways)' },
  { name: 'apply', kind: 'boolean', description: 'set-port, remove-port: carry out the plan and verify it (without it, only show it)' },
  { name: 'values-out', kind: 'string', description: 'set-port, remove-port: write the Helm values (or IstioOperator overlay) that keep the ports across upgrades', value: 'FILE' },
  { name: 'node-port-range', kind: 'string', description: "the API server's --service-node-port-range when it is not 30000-32767", value: 'MIN-MAX' },
  { name: 'output', kind: 'string', description: 'text (default) or json', value: 'FORMAT' },
];

const COMMON = ['kubeconfig', 'context', 'node-port-range', 'output'];
const EDIT = [...COMMON, 'name', 'update-gateways', 'confirm-critical', 'apply', 'values-out'];

const SUBCOMMANDS: Record<string, { flags: string[]; run: (options: ParsedOptions, args: string[], ctx: CommandContext) => Promise<number> }> = {
  // Loaded when run, so that the port checks do not slow every meshdeck start.
  ports: { flags: COMMON, run: async (o, a, ctx) => (await import('./gateway-run.js')).gatewayPorts(o, a, ctx) },
  'set-port': {
    flags: [...EDIT, 'port', 'target-port', 'node-port', 'protocol', 'app-protocol'],
    run: async (o, a, ctx) => {
      const { gatewayEdit, setEdit } = await import('./gateway-run.js');
      return gatewayEdit(setEdit(o), o, a, ctx);
    },
  },
  'remove-port': {
    flags: EDIT,
    run: async (o, a, ctx) => {
      const { gatewayEdit, removeEdit } = await import('./gateway-run.js');
      return gatewayEdit(removeEdit(o), o, a, ctx);
    },
  },
};

export const gatewayCommand: Command = {
  name: 'gateway',
  summary: "gateway Service ports: list them with their checks, add, change or remove one (plan, --apply, verify)",
  usage: [
    'meshdeck gateway ports --context C NAMESPACE/NAME [--output json]',
    '  meshdeck gateway set-port --context C NAMESPACE/NAME --name NAME --port N [--target-port N] [--node-port N] [--protocol TCP] [--app-protocol P] [--update-gateways] [--apply] [--values-out FILE]',
    '  meshdeck gateway remove-port --context C NAMESPACE/NAME --name NAME [--update-gateways] [--confirm-critical] [--apply] [--values-out FILE]',
    '  (exit code 0: fine, 1: problems found, refused or not applied, 2: wrong usage)',
  ].join('\n'),
  takesArguments: true,
  options: OPTIONS,
  async run(options, positionals, ctx) {
    const [name, ...args] = positionals;
    const sub = name === undefined ? undefined : SUBCOMMANDS[name];
    if (!sub) throw new UsageError(name === undefined ? 'gateway needs a subcommand: ports, set-port or remove-port' : `unknown gateway subcommand "${name}" (ports, set-port, remove-port)`, 'gateway');
    const stray = OPTIONS.find((o) => options[o.name] !== undefined && !sub.flags.includes(o.name));
    if (stray) throw new UsageError(`--${stray.name} is not a flag of 'gateway ${name}'`, 'gateway');
    const output = options['output'];
    if (output !== undefined && output !== 'text' && output !== 'json') throw new UsageError(`--output must be text or json, got "${String(output)}"`, 'gateway');
    if (args.length > 1) throw new UsageError(`unexpected argument "${args[1]}"`, 'gateway');
    return sub.run(options, args, ctx);
  },
};
