import type { Command, CommandContext } from './command.js';
import { UsageError, type OptionSpec, type ParsedOptions } from './args.js';

// Each subcommand loads its code when run: certificate code (node-forge) would otherwise slow every
// meshdeck start, the cockpit's first frame included.

// No defaults in the specs: each subcommand has its own (--days 3650 for a root, 730 for an
// intermediate), and a flag that was not given must be told apart from one that was.
const OPTIONS: OptionSpec[] = [
  { name: 'out', kind: 'string', description: 'root, intermediate: directory to write (made 0700; keys 0600)', value: 'DIR' },
  { name: 'root', kind: 'string', description: 'intermediate: directory of the root (root-cert.pem, root-key.pem)', value: 'DIR' },
  { name: 'cluster', kind: 'string', description: 'intermediate: cluster names; one subdirectory of --out each', value: 'a,b' },
  { name: 'org', kind: 'string', description: 'root, intermediate: organisation (O) of the subject (default Istio)', value: 'O' },
  { name: 'days', kind: 'integer', description: 'root, intermediate: validity in days (default 3650 for a root, 730 for an intermediate)', value: 'N', min: 1, max: 36_500 },
  { name: 'key-type', kind: 'string', description: 'root, intermediate: rsa (default) or ecdsa (P-256)', value: 'rsa|ecdsa' },
  { name: 'key-size', kind: 'integer', description: 'root, intermediate: RSA key size, 2048, 3072 or 4096 (default 4096)', value: 'BITS' },
  { name: 'kubeconfig', kind: 'string', description: 'verify, install: kubeconfig file (default: $KUBECONFIG or ~/.kube/config)', value: 'FILE' },
  { name: 'context', kind: 'string', description: 'verify, install: contexts to check or install into', value: 'a,b' },
  { name: 'from', kind: 'string', description: "install: a cluster's cacerts directory, or a directory with one per context", value: 'DIR' },
  { name: 'apply', kind: 'boolean', description: 'install: carry out the plan (without it, only show it)' },
  { name: 'restart', kind: 'boolean', description: 'install: restart istiod so it loads the new cacerts, wait, and verify' },
  { name: 'force', kind: 'boolean', description: "root, intermediate: overwrite existing files; install: replace a cacerts meshdeck did not create (after a backup)" },
  { name: 'output', kind: 'string', description: 'text (default) or json', value: 'FORMAT' },
];

const SUBCOMMANDS: Record<string, { flags: string[]; run: (options: ParsedOptions, args: string[], ctx: CommandContext) => Promise<number> }> = {
  root: { flags: ['out', 'org', 'days', 'key-type', 'key-size', 'force', 'output'], run: async (o, _a, ctx) => (await import('./ca-generate.js')).caRoot(o, ctx) },
  intermediate: { flags: ['root', 'cluster', 'out', 'org', 'days', 'key-type', 'key-size', 'force', 'output'], run: async (o, _a, ctx) => (await import('./ca-generate.js')).caIntermediate(o, ctx) },
  verify: {
    flags: ['kubeconfig', 'context', 'output'],
    run: async (o, args, ctx) => {
      if (args.length > 0 && o['context'] !== undefined) throw new UsageError('ca verify takes a directory or --context, not both', 'ca');
      if (args[0] !== undefined) return (await import('./ca-verify.js')).verifyDirectory(args[0], o, ctx);
      if (o['context'] !== undefined) return (await import('./ca-verify.js')).verifyContexts(o, ctx);
      throw new UsageError('ca verify needs a directory (meshdeck ca verify DIR) or --context a,b', 'ca');
    },
  },
  install: { flags: ['kubeconfig', 'context', 'from', 'apply', 'force', 'restart', 'output'], run: async (o, _a, ctx) => (await import('./ca-install.js')).caInstall(o, ctx) },
};

export const caCommand: Command = {
  name: 'ca',
  summary: 'certificate authority: a shared root, per-cluster intermediates, the cacerts install, trust across clusters',
  usage: [
    'meshdeck ca root --out DIR [--org O] [--days 3650] [--key-type rsa|ecdsa] [--key-size 4096] [--force]',
    '  meshdeck ca intermediate --root DIR --cluster a,b --out DIR [--days 730] [--key-type rsa|ecdsa] [--key-size 4096] [--force]',
    '  meshdeck ca verify DIR',
    '  meshdeck ca verify --context a,b [--kubeconfig FILE]',
    '  meshdeck ca install --context C --from DIR [--apply] [--restart] [--force] [--kubeconfig FILE]',
    '  (every subcommand takes --output json; exit code 0: fine, 1: problems found or refused, 2: wrong usage)',
  ].join('\n'),
  takesArguments: true,
  options: OPTIONS,
  async run(options, positionals, ctx) {
    const [name, ...args] = positionals;
    const sub = name === undefined ? undefined : SUBCOMMANDS[name];
    if (!sub) throw new UsageError(name === undefined ? 'ca needs a subcommand: root, intermediate, verify or install' : `unknown ca subcommand "${name}" (root, intermediate, verify, install)`, 'ca');
    const stray = OPTIONS.find((o) => options[o.name] !== undefined && !sub.flags.includes(o.name));
    if (stray) throw new UsageError(`--${stray.name} is not a flag of 'ca ${name}'`, 'ca');
    const output = options['output'];
    if (output !== undefined && output !== 'text' && output !== 'json') throw new UsageError(`--output must be text or json, got "${String(output)}"`, 'ca');
    const extra = name === 'verify' ? args.slice(1) : args;
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`, 'ca');
    return sub.run(options, args, ctx);
  },
};
