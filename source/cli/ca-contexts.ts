import type { CommandContext } from './command.js';
import { UserError } from './command.js';
import { UsageError, type ParsedOptions } from './args.js';
import { KubeconfigError, kubeconfigFiles, loadKubeconfig, selectContexts, type ContextEntry } from '../kube/kubeconfig.js';

/** The contexts named by --context a,b (required: CA commands never act on every context by default). */
export function loadContexts(options: ParsedOptions, ctx: CommandContext): ContextEntry[] {
  const wanted = String(options['context'] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (wanted.length === 0) throw new UsageError('--context needs at least one context name', 'ca');
  try {
    return selectContexts(loadKubeconfig(kubeconfigFiles(options['kubeconfig'] as string | undefined, ctx.env)), wanted);
  } catch (error) {
    if (error instanceof KubeconfigError) throw new UserError(error.message);
    throw error;
  }
}
