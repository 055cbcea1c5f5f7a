import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';

/** A kubeconfig problem, phrased as one line that says what to do. */
export class KubeconfigError extends Error {}

interface Named {
  name: string;
  [key: string]: unknown;
}

export interface ContextEntry {
  name: string;
  cluster: Named;
  user: Named;
  namespace?: string;
  /** Directory of the file the context came from, for relative certificate paths. */
  baseDir: string;
}

export interface LoadedKubeconfig {
  files: string[];
  currentContext?: string;
  /** The contexts that can be opened. */
  contexts: ContextEntry[];
  /** Contexts that cannot (a missing cluster, a bad server URL), with the one-line reason; only an error when selected. */
  broken: { name: string; message: string }[];
}

/** Which files to read: --kubeconfig, else $KUBECONFIG (a path list), else ~/.kube/config. */
export function kubeconfigFiles(flag: string | undefined, env: NodeJS.ProcessEnv): string[] {
  if (flag) return [resolve(flag)];
  const fromEnv = (env['KUBECONFIG'] ?? '').split(delimiter).filter(Boolean);
  if (fromEnv.length > 0) return fromEnv.map((p) => resolve(p));
  return [join(env['HOME'] || homedir(), '.kube', 'config')];
}

/**
 * Reads and merges kubeconfig files the way kubectl does (the first file to define a name wins) and
 * resolves each context to its cluster and user. Credentials are not interpreted here.
 */
export function loadKubeconfig(files: string[]): LoadedKubeconfig {
  const clusters = new Map<string, Named>();
  const users = new Map<string, Named>();
  const contexts: { name: string; context: Named & { cluster?: string; user?: string; namespace?: string }; baseDir: string; file: string }[] = [];
  let currentContext: string | undefined;
  let readAny = false;
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && files.length > 1) continue;
      if (code === 'ENOENT') throw new KubeconfigError(`kubeconfig ${file} does not exist; pass --kubeconfig FILE, set KUBECONFIG, or try 'meshdeck demo'`);
      if (code === 'EISDIR') throw new KubeconfigError(`kubeconfig ${file} is a directory; pass the file itself with --kubeconfig FILE`);
      throw new KubeconfigError(`cannot read kubeconfig ${file} (${code ?? (error as Error).message}); check its permissions`);
    }
    readAny = true;
    let doc: unknown;
    try {
      doc = parse(text, { logLevel: 'error' });
    } catch (error) {
      const line = (error as { linePos?: { line: number }[] }).linePos?.[0]?.line;
      throw new KubeconfigError(`kubeconfig ${file} is not valid YAML${line ? ` (line ${line})` : ''}: ${(error as Error).message.split('\n')[0]}; fix it or pass another file with --kubeconfig FILE`);
    }
    if (doc === null || doc === undefined) continue;
    if (typeof doc !== 'object' || Array.isArray(doc)) throw new KubeconfigError(`kubeconfig ${file} is not a kubeconfig (expected a mapping with clusters, users and contexts)`);
    const config = doc as Record<string, unknown>;
    const baseDir = dirname(file);
    for (const entry of namedList(config['clusters'], 'clusters', file)) if (!clusters.has(entry.name)) clusters.set(entry.name, { ...entry, baseDir } as Named);
    for (const entry of namedList(config['users'], 'users', file)) if (!users.has(entry.name)) users.set(entry.name, { ...entry, baseDir } as Named);
    for (const entry of namedList(config['contexts'], 'contexts', file)) {
      if (contexts.some((c) => c.name === entry.name)) continue;
      const context = (entry['context'] ?? {}) as Named & { cluster?: string; user?: string; namespace?: string };
      contexts.push({ name: entry.name, context, baseDir, file });
    }
    if (currentContext === undefined && typeof config['current-context'] === 'string' && config['current-context']) currentContext = config['current-context'];
  }
  if (!readAny) throw new KubeconfigError(`none of the kubeconfig files exist (${files.join(', ')}); pass --kubeconfig FILE or try 'meshdeck demo'`);
  if (contexts.length === 0) throw new KubeconfigError(`kubeconfig ${files.join(', ')} has no contexts; add one with 'kubectl config set-context' or try 'meshdeck demo'`);
  const resolved: ContextEntry[] = [];
  const broken: LoadedKubeconfig['broken'] = [];
  for (const { name, context, baseDir, file } of contexts) {
    const clusterName = typeof context.cluster === 'string' ? context.cluster : '';
    const cluster = clusterName ? clusters.get(clusterName) : undefined;
    if (!cluster) {
      broken.push({ name, message: `context "${name}" in ${file} names cluster "${clusterName}", which is not defined; fix the kubeconfig or pick other contexts with --context` });
      continue;
    }
    const server = (cluster['cluster'] as Record<string, unknown> | undefined)?.['server'];
    if (!isServerUrl(server)) {
      broken.push({ name, message: `cluster "${cluster.name}" in ${file} has no valid server URL (got ${JSON.stringify(server ?? null)}); fix the kubeconfig or pick other contexts with --context` });
      continue;
    }
    // Only names are looked up: a user or namespace of another type (a mapping, a number) counts as none.
    const userName = typeof context.user === 'string' ? context.user : '';
    const user = userName ? users.get(userName) : undefined;
    const namespace = typeof context.namespace === 'string' && context.namespace ? context.namespace : undefined;
    resolved.push({ name, cluster, user: user ?? { name: userName, user: {} }, ...(namespace ? { namespace } : {}), baseDir });
  }
  return { files, ...(currentContext ? { currentContext } : {}), contexts: resolved, broken };
}

function isServerUrl(server: unknown): server is string {
  if (typeof server !== 'string' || !/^https?:\/\//.test(server)) return false;
  try {
    return new URL(server).hostname !== '';
  } catch {
    return false;
  }
}

/** Picks the contexts named by --context a,b,c (all when none), failing on a name that is not there. */
export function selectContexts(config: LoadedKubeconfig, wanted: string[] | undefined): ContextEntry[] {
  if (!wanted || wanted.length === 0) {
    if (config.broken.length > 0) throw new KubeconfigError(config.broken[0]!.message);
    return config.contexts;
  }
  return [...new Set(wanted)].map((name) => {
    const found = config.contexts.find((c) => c.name === name);
    if (found) return found;
    const broken = config.broken.find((c) => c.name === name);
    if (broken) throw new KubeconfigError(broken.message);
    const have = [...config.contexts.map((c) => c.name), ...config.broken.map((c) => c.name)];
    throw new KubeconfigError(`context "${name}" is not in the kubeconfig (have: ${have.join(', ')}); fix --context`);
  });
}

const NO_USER = 'meshdeck-no-credentials';

/** A kubeconfig holding only this context, its cluster and its user, so one cluster's credentials never reach another. */
export function singleContextYaml(entry: ContextEntry): string {
  const strip = (named: Named): [Named, string] => {
    const { baseDir, ...rest } = structuredClone(named) as Named & { baseDir?: string };
    return [rest as Named, baseDir ?? entry.baseDir];
  };
  const [cluster, clusterDir] = strip(entry.cluster);
  const [user, userDir] = strip(entry.user);
  // A context without a user has no credentials; client-node still wants a named user entry.
  if (!user.name) user.name = NO_USER;
  // Relative paths are relative to the file that defined them, as in kubectl.
  absolutize(cluster['cluster'] as Record<string, unknown> | undefined, ['certificate-authority'], clusterDir);
  absolutize(user['user'] as Record<string, unknown> | undefined, ['client-certificate', 'client-key', 'tokenFile', 'token-file'], userDir);
  // As client-go does: an exec plugin command with a path separator is relative to its file; a bare name is looked up on PATH.
  const exec = (user['user'] as Record<string, unknown> | undefined)?.['exec'] as Record<string, unknown> | undefined;
  if (typeof exec?.['command'] === 'string' && exec['command'].includes('/')) absolutize(exec, ['command'], userDir);
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': entry.name,
    clusters: [cluster],
    users: [user],
    contexts: [{ name: entry.name, context: { cluster: cluster.name, user: user.name, ...(entry.namespace ? { namespace: entry.namespace } : {}) } }],
  });
}

function absolutize(section: Record<string, unknown> | undefined, keys: string[], baseDir: string): void {
  if (!section) return;
  for (const key of keys) {
    const value = section[key];
    if (typeof value === 'string' && value && !isAbsolute(value)) section[key] = join(baseDir, value);
  }
}

function namedList(value: unknown, field: string, file: string): Named[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new KubeconfigError(`kubeconfig ${file}: "${field}" must be a list`);
  return value.map((entry, index) => {
    if (typeof entry !== 'object' || entry === null || typeof (entry as Named).name !== 'string' || !(entry as Named).name) {
      throw new KubeconfigError(`kubeconfig ${file}: ${field}[${index}] has no name`);
    }
    return structuredClone(entry) as Named;
  });
}
