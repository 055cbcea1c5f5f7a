import type { CommandContext } from './command.js';
import { UserError } from './command.js';
import type { ParsedOptions } from './args.js';
import { KubeconfigError, kubeconfigFiles, loadKubeconfig, selectContexts, type ContextEntry } from '../kube/kubeconfig.js';

/** The contexts of --kubeconfig (else $KUBECONFIG, ~/.kube/config) named by --context a,b, all when none; kubeconfig problems become one-line UserErrors. */
export function contextsFromOptions(options: ParsedOptions, ctx: Pick<CommandContext, 'env'>): ContextEntry[] {
  try {
    const config = loadKubeconfig(kubeconfigFiles(options['kubeconfig'] as string | undefined, ctx.env));
    const wanted = options['context'] ? String(options['context']).split(',').map((s) => s.trim()).filter(Boolean) : undefined;
    return selectContexts(config, wanted);
  } catch (error) {
    if (error instanceof KubeconfigError) throw new UserError(error.message);
    throw error;
  }
}
