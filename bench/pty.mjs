// Runs a command in a pseudo-terminal (util-linux `script`) and watches what it draws.
import { spawn } from 'node:child_process';

const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\x1b[()][0-9A-Za-z]/g;

export function startPty(command, { columns, rows, env = {} }) {
  const child = spawn('script', ['-qfec', `stty cols ${columns} rows ${rows}; exec ${command}`, '/dev/null'], {
    env: { ...process.env, TERM: 'xterm-256color', ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const started = performance.now();
  const frames = [];
  let waiters = [];
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk) => {
    const frame = { at: performance.now(), text: chunk.replace(ANSI, '') };
    frames.push(frame);
    waiters = waiters.filter((w) => {
      if (frame.at >= w.after && w.predicate(frame.text)) {
        w.resolve(frame.at);
        return false;
      }
      return true;
    });
  });
  return {
    child,
    started,
    /** Resolves with the time of the first output after `after` whose text passes `predicate`. */
    waitFor(predicate, { after = 0, timeoutMs = 120_000 } = {}) {
      const seen = frames.find((f) => f.at >= after && predicate(f.text));
      if (seen) return Promise.resolve(seen.at);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('timed out waiting for a frame')), timeoutMs);
        waiters.push({ predicate, after, resolve: (at) => (clearTimeout(timer), resolve(at)) });
      });
    },
    write(text) {
      child.stdin.write(text);
    },
    async stop() {
      child.stdin.write('q');
      await new Promise((resolve) => {
        const timer = setTimeout(() => (child.kill('SIGKILL'), resolve()), 5000);
        child.on('exit', () => (clearTimeout(timer), resolve()));
      });
    },
  };
}

/** Finds the node process under `script` (the cockpit) to read its memory. */
export async function descendantPid(rootPid, name = 'node') {
  const { execFileSync } = await import('node:child_process');
  const queue = [rootPid];
  while (queue.length > 0) {
    const pid = queue.shift();
    let children = [];
    try {
      children = execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
    } catch {
      children = [];
    }
    for (const child of children) {
      const comm = execFileSync('ps', ['-o', 'comm=', '-p', String(child)], { encoding: 'utf8' }).trim();
      if (comm === name) return child;
      queue.push(child);
    }
  }
  return undefined;
}

export async function peakRssMb(pid) {
  const { readFileSync } = await import('node:fs');
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
  return hwm ? Math.round(Number(hwm[1]) / 1024) : undefined;
}
