import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { UserError } from './command.js';

export interface UserConfig {
  theme?: string;
  /** Refuse every change to a cluster, as `--readonly` does. */
  readonly?: boolean;
}

export function userConfigPath(env: NodeJS.ProcessEnv): string {
  return join(env['XDG_CONFIG_HOME'] || join(homedir(), '.config'), 'meshdeck', 'config.yaml');
}

/** ~/.config/meshdeck/config.yaml (XDG); a missing file is an empty config, a broken one a one-line error. */
export function loadUserConfig(env: NodeJS.ProcessEnv): UserConfig {
  const path = userConfigPath(env);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return {};
  }
  let doc: unknown;
  try {
    doc = parse(text, { logLevel: 'error' });
  } catch (error) {
    throw new UserError(`${path} is not valid YAML: ${(error as Error).message.split('\n')[0]}; fix or remove it`);
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new UserError(`${path} must be a mapping (for example "theme: light")`);
  const theme = (doc as Record<string, unknown>)['theme'];
  if (theme !== undefined && typeof theme !== 'string') throw new UserError(`${path}: theme must be a name such as dark, light, high-contrast or plain`);
  const readonly = (doc as Record<string, unknown>)['readonly'];
  if (readonly !== undefined && readonly !== null && typeof readonly !== 'boolean') throw new UserError(`${path}: readonly must be true or false`);
  return { ...(theme ? { theme } : {}), ...(readonly === true ? { readonly } : {}) };
}
