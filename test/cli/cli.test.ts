import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { kubectl, kubectlStream } from '../helpers/kubectl.js';
import { waitFor } from '../helpers/sim.js';
import { meshdeckMain } from '../helpers/meshdeck-bin.js';

// The built command as a user runs it: `npm test` builds dist/ first (pretest), so these tests see
// exactly what `npm install` gives people, shebang and all.

const root = join(import.meta.dirname, '..', '..');
const main = meshdeckMain;
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function meshdeck(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [main, ...args], { env: { ...process.env, ...env, MESHDECK_DEBUG: '' }, timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, signal: (error?.signal as NodeJS.Signals | undefined) ?? null, stdout, stderr });
    });
  });
}

/** A long-running `meshdeck sim` whose output is collected as it comes. */
function startSim(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child: ChildProcess = spawn(process.execPath, [main, 'sim', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal, at: Date.now() }));
  });
  return {
    child,
    exited,
    stdout: () => stdout,
    stderr: () => stderr,
    ready: () => waitFor(() => stdout.includes('Press Ctrl-C to stop.') || child.exitCode !== null, 'meshdeck sim to start', 30_000),
  };
}


describe('the meshdeck command', () => {
  let dir: string;

  beforeAll(() => {
    if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first (\`npm test\` does)`);
    dir = mkdtempSync(join(tmpdir(), 'meshdeck-cli-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  describe('help and version', () => {
    it('lists the commands and global flags for --help, -h and help', async () => {
      const runs = await Promise.all([meshdeck(['--help']), meshdeck(['-h']), meshdeck(['help'])]);
      for (const run of runs) {
        expect(run.code).toBe(0);
        expect(run.stderr).toBe('');
        expect(run.stdout).toBe(runs[0]!.stdout);
      }
      const help = runs[0]!.stdout;
      expect(help).toMatch(/^Usage:\n {2}meshdeck <command> \[flags\]$/m);
      for (const command of ['cockpit', 'demo', 'sim']) expect(help).toMatch(new RegExp(`^ {2}${command} +\\S`, 'm'));
      expect(help).toMatch(/^ {2}-h, --help +\S/m);
      expect(help).toMatch(/^ {2}--version +\S/m);
      expect(help).toContain("Run 'meshdeck <command> --help'");
    });

    it('lists every sim flag with its value and default, the same for sim --help, sim -h and help sim', async () => {
      const runs = await Promise.all([meshdeck(['sim', '--help']), meshdeck(['sim', '-h']), meshdeck(['help', 'sim'])]);
      for (const run of runs) {
        expect(run.code).toBe(0);
        expect(run.stderr).toBe('');
        expect(run.stdout).toBe(runs[0]!.stdout);
      }
      const help = runs[0]!.stdout;
      expect(help).toMatch(/^ {2}meshdeck sim \[--clusters N\] \[--pods-per-cluster M\] \[--scenario NAME\] \[--kubeconfig-out FILE\] \[--latency-ms MS\]/m);
      expect(help).toMatch(/^ {2}--clusters N +.*\(default 3\)$/m);
      expect(help).toMatch(/^ {2}--pods-per-cluster M +.*\(default 30\)$/m);
      expect(help).toMatch(/^ {2}--scenario NAME +.*\(default plain\)$/m);
      expect(help).toMatch(/^ {2}--kubeconfig-out FILE +.*0600/m);
      expect(help).toMatch(/^ {2}--latency-ms MS +.*\(default 0\)$/m);
      expect(help).toMatch(/^ {2}-h, --help +\S/m);
      // The descriptions line up in one column.
      const columns = help.split('\n').filter((line) => /^ {2}-/.test(line)).map((line) => /^ {2}\S.*?\S {2,}(?=\S)/.exec(line)![0].length);
      expect(new Set(columns).size).toBe(1);
    });

    it('prints the package version, also when run as the installed executable', async () => {
      const run = await meshdeck(['--version']);
      expect(run).toMatchObject({ code: 0, stdout: `meshdeck ${version}\n`, stderr: '' });
      // npm links bin/meshdeck to this file: it must run on its own (shebang, executable bit).
      expect(statSync(main).mode & 0o111).not.toBe(0);
      const direct = await new Promise<string>((resolve, reject) => execFile(main, ['--version'], (error, stdout) => (error ? reject(error) : resolve(stdout))));
      expect(direct).toBe(`meshdeck ${version}\n`);
    });
  });

  describe('wrong input: one line, the hint, exit code 2', () => {
    it.concurrent.for([
      [['bogus'], 'unknown command "bogus"', 'meshdeck --help'],
      [['help', 'bogus'], 'unknown command "bogus"', 'meshdeck --help'],
      [['sim', '--bogus'], 'unknown flag --bogus', 'meshdeck sim --help'],
      [['sim', '-x'], 'unknown flag -x', 'meshdeck sim --help'],
      [['sim', 'extra'], 'unexpected argument "extra"', 'meshdeck sim --help'],
      [['sim', '--clusters', 'many'], '--clusters takes a whole number, got "many"', 'meshdeck sim --help'],
      [['sim', '--clusters=1.5'], '--clusters takes a whole number, got "1.5"', 'meshdeck sim --help'],
      [['sim', '--pods-per-cluster', '1e3'], '--pods-per-cluster takes a whole number, got "1e3"', 'meshdeck sim --help'],
      [['sim', '--clusters', '0'], '--clusters must be at least 1, got 0', 'meshdeck sim --help'],
      [['sim', '--clusters', '51'], '--clusters must be at most 50, got 51', 'meshdeck sim --help'],
      [['sim', '--latency-ms=-5'], '--latency-ms must be at least 0, got -5', 'meshdeck sim --help'],
      [['sim', '--clusters'], '--clusters needs a value', 'meshdeck sim --help'],
      [['sim', '--kubeconfig-out'], '--kubeconfig-out needs a value', 'meshdeck sim --help'],
      [['sim', '--scenario='], '--scenario needs a value', 'meshdeck sim --help'],
      [['sim', '--kubeconfig-out', '--clusters', '2'], '--kubeconfig-out needs a value (write --kubeconfig-out=VALUE for a value that starts with "-")', 'meshdeck sim --help'],
      [['sim', '--help=yes'], '--help does not take a value', 'meshdeck sim --help'],
      [['demo', '--kubeconfig-out', 'x'], 'unknown flag --kubeconfig-out', 'meshdeck demo --help'],
    ] as const)('meshdeck %j', async ([args, message, hint], { expect }) => {
      const run = await meshdeck([...args]);
      // The one-line error and the hint, exactly, with nothing else on either stream.
      expect(run.code, run.stderr).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(`meshdeck: ${message}\nRun '${hint}' for usage.\n`);
    });

    it('names an unknown scenario in one line, without a stack, and exits 1', async () => {
      const run = await meshdeck(['sim', '--scenario', 'nope', '--kubeconfig-out', join(dir, 'unused.yaml')]);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr.split('\n')).toHaveLength(2);
      expect(run.stderr).toMatch(/^meshdeck: unknown scenario "nope" \(known: [^)]*plain[^)]*\); pick one with --scenario NAME\n$/);
      expect(existsSync(join(dir, 'unused.yaml'))).toBe(false);
    });
  });

  describe('meshdeck sim', () => {
    it('serves the clusters it prints through the kubeconfig it writes (0600), and stops on SIGTERM with exit code 0', async () => {
      const kubeconfigPath = join(dir, 'nested', 'config', 'sim.yaml');
      const sim = startSim(['--clusters', '2', '--pods-per-cluster', '5', '--kubeconfig-out', kubeconfigPath]);
      let watch: ReturnType<typeof kubectlStream> | undefined;
      try {
        await sim.ready();
        expect(sim.stderr()).toBe('');
        const lines = sim.stdout().split('\n');
        expect(lines[0]).toBe('meshdeck sim: 2 cluster(s), scenario "plain"');
        const printed = lines.map((line) => /^ {2}(\S+) +(https:\/\/127\.0\.0\.1:\d+)$/.exec(line)).filter((m) => m !== null).map((m) => [m[1], m[2]]);
        expect(printed.map(([name]) => name)).toEqual(['east', 'west']);
        expect(lines).toContain(`kubeconfig: ${kubeconfigPath}`);

        expect(statSync(kubeconfigPath).mode & 0o777).toBe(0o600);
        expect(statSync(join(dir, 'nested', 'config')).mode & 0o777).toBe(0o700);
        expect(readdirSync(join(dir, 'nested', 'config'))).toEqual(['sim.yaml']);
        const config = parse(readFileSync(kubeconfigPath, 'utf8')) as { clusters: { name: string; cluster: { server: string } }[] };
        expect(config.clusters.map((c) => [c.name, c.cluster.server])).toEqual(printed);

        const contexts = await kubectl(kubeconfigPath, ['config', 'get-contexts', '-o', 'name']);
        expect(contexts.stdout.trim().split('\n')).toEqual(['east', 'west']);
        for (const context of ['east', 'west']) {
          const pods = await kubectl(kubeconfigPath, ['--context', context, 'get', 'pods', '-A', '-o', 'name']);
          expect(pods.code, pods.stderr).toBe(0);
          expect(pods.stdout.trim().split('\n'), context).toHaveLength(5);
        }

        // A user typically still has a watch open when stopping the simulator; it must not hold it up.
        watch = kubectlStream(kubeconfigPath, ['--context', 'east', 'get', 'pods', '-A', '-w']);
        await waitFor(() => watch!.output().includes('Running'), 'the watch to list pods');
        const signalled = Date.now();
        sim.child.kill('SIGTERM');
        const exit = await sim.exited;
        expect(exit).toMatchObject({ code: 0, signal: null });
        expect(exit.at - signalled).toBeLessThan(2500);
        expect(sim.stdout().trimEnd().split('\n').at(-1)).toBe(`meshdeck sim: stopped (SIGTERM); the kubeconfig was at ${kubeconfigPath}`);
        expect(sim.stderr()).toBe('');
        await waitFor(() => watch!.child.exitCode !== null || watch!.child.signalCode !== null, 'kubectl get -w to notice the server went away');
      } finally {
        watch?.stop();
        if (sim.child.exitCode === null) sim.child.kill('SIGKILL');
      }
    });

    it('writes the kubeconfig under the user cache directory by default, and stops on Ctrl-C (SIGINT)', async () => {
      const cache = join(dir, 'xdg-cache');
      const sim = startSim(['--clusters', '1', '--pods-per-cluster', '0'], { XDG_CACHE_HOME: cache });
      try {
        await sim.ready();
        const expected = join(cache, 'meshdeck', 'sim-kubeconfig.yaml');
        expect(sim.stdout()).toContain(`kubeconfig: ${expected}\n`);
        expect(statSync(expected).mode & 0o777).toBe(0o600);
        const nodes = await kubectl(expected, ['get', 'nodes', '-o', 'name']);
        expect(nodes.code, nodes.stderr).toBe(0);
        expect(nodes.stdout).toMatch(/^node\/east-node-1$/m);
        sim.child.kill('SIGINT');
        const exit = await sim.exited;
        expect(exit).toMatchObject({ code: 0, signal: null });
        expect(sim.stdout()).toContain(`meshdeck sim: stopped (SIGINT); the kubeconfig was at ${expected}\n`);
      } finally {
        if (sim.child.exitCode === null) sim.child.kill('SIGKILL');
      }
    });

    it('refuses a kubeconfig path it cannot write with one line and exit code 1', async () => {
      const blocker = join(dir, 'a-file');
      writeFileSync(blocker, 'not a directory');
      for (const target of [join(blocker, 'kubeconfig.yaml'), dir]) {
        const sim = startSim(['--clusters', '1', '--pods-per-cluster', '1', '--kubeconfig-out', target]);
        const exit = await sim.exited;
        expect(exit, sim.stderr()).toMatchObject({ code: 1, signal: null });
        expect(sim.stdout()).toBe('');
        const lines = sim.stderr().split('\n');
        expect(lines, sim.stderr()).toHaveLength(2);
        expect(lines[0]).toMatch(new RegExp(`^meshdeck: cannot write the kubeconfig to ${target.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .+; pass --kubeconfig-out FILE with a writable path$`));
        expect(lines[1]).toBe('');
      }
      // Nothing half-written is left behind.
      expect(readdirSync(dir).filter((name) => name.includes('.tmp'))).toEqual([]);
      expect(readFileSync(blocker, 'utf8')).toBe('not a directory');
    });
  });
});
