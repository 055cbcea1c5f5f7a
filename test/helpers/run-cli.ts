import { main } from '../../source/cli/run.js';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `meshdeck ARGS` in this process, as the CLI runs it, with its output captured. */
export async function meshdeck(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const sink = (append: (s: string) => void) => ({ write: (chunk: string) => (append(String(chunk)), true) }) as unknown as NodeJS.WritableStream;
  const code = await main(args, { stdout: sink((s) => (stdout += s)), stderr: sink((s) => (stderr += s)), env });
  return { code, stdout, stderr };
}
