// Runs a command in a pseudo-terminal (util-linux `script`) and reads what it draws, frame by frame.
//
// Ink 6.8 wraps every frame in synchronized-output markers (ESC[?2026h ... ESC[?2026l), so a frame is
// complete when its closing marker arrives: that arrival time is the frame's time. Only the most
// recent frames are kept, so a long run does not grow.
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\x1b[()][0-9A-Za-z]/g;
const FRAME_END = '\x1b[?2026l';
const INVERSE = '\x1b[7m';
const KEEP_FRAMES = 64;

export const stripAnsi = (text) => text.replace(ANSI, '');

/**
 * One complete frame: its arrival time, its lines without escapes, and the selected line: the last one
 * drawn inverse (the focused pane's title is inverse too, and comes before its rows).
 */
function toFrame(raw, at, index) {
  const rawLines = raw.split('\n');
  const lines = rawLines.map((l) => stripAnsi(l).replace(/\r$/, ''));
  const selectedIndex = rawLines.findLastIndex((l) => l.includes(INVERSE));
  return { at, index, raw, text: lines.join('\n'), lines, selectedIndex, selected: selectedIndex >= 0 ? lines[selectedIndex] : undefined };
}

export function startPty(command, { columns, rows, env = {} }) {
  const child = spawn('script', ['-qfec', `stty cols ${columns} rows ${rows}; exec ${command}`, '/dev/null'], {
    env: { ...process.env, TERM: 'xterm-256color', ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const started = performance.now();
  const recent = [];
  let count = 0;
  let pending = '';
  let waiters = [];
  let exited = false;
  let exitNote = '';
  child.on('exit', (code, signal) => {
    exited = true;
    const last = recent.at(-1)?.lines.filter((l) => l.trim()).slice(-3).join(' | ') ?? 'no frame';
    exitNote = `the command exited (${signal ?? code}); last frame ends: ${last.slice(0, 400)}${pending ? `; then: ${stripAnsi(pending).trim().slice(-300)}` : ''}`;
    for (const w of waiters) w.reject(new Error(exitNote));
    waiters = [];
  });
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk) => {
    const at = performance.now();
    pending += chunk;
    let end;
    while ((end = pending.indexOf(FRAME_END)) >= 0) {
      const frame = toFrame(pending.slice(0, end), at, count++);
      pending = pending.slice(end + FRAME_END.length);
      recent.push(frame);
      if (recent.length > KEEP_FRAMES) recent.shift();
      waiters = waiters.filter((w) => {
        if (frame.at >= w.after && w.predicate(frame)) {
          w.resolve(frame);
          return false;
        }
        return true;
      });
    }
  });
  return {
    child,
    started,
    get frameCount() {
      return count;
    },
    get lastFrame() {
      return recent.at(-1);
    },
    /** Resolves with the first frame completed at or after `after` that passes `predicate(frame)`. */
    waitFor(predicate, { after = 0, timeoutMs = 120_000 } = {}) {
      const seen = recent.find((f) => f.at >= after && predicate(f));
      if (seen) return Promise.resolve(seen);
      if (exited) return Promise.reject(new Error(exitNote));
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters = waiters.filter((w) => w.resolve !== done);
          reject(new Error(`timed out after ${timeoutMs} ms waiting for a frame`));
        }, timeoutMs);
        const done = (frame) => (clearTimeout(timer), resolve(frame));
        waiters.push({ predicate, after, resolve: done, reject: (e) => (clearTimeout(timer), reject(e)) });
      });
    },
    write(text) {
      child.stdin.write(text);
    },
    /** Types `keys` (quit) and waits; after 5 s kills the program under `script` and `script` itself. */
    async stop(keys = 'q') {
      if (exited) return;
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.stdin.write(keys);
      const timer = setTimeout(() => {
        const program = descendantPid(child.pid);
        if (program) process.kill(program, 'SIGKILL');
        child.kill('SIGKILL');
      }, 5000);
      await gone;
      clearTimeout(timer);
    },
  };
}

/** Finds the first `name` process under `rootPid` (the node process under `script`). */
export function descendantPid(rootPid, name = 'node') {
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
      let comm = '';
      try {
        comm = execFileSync('ps', ['-o', 'comm=', '-p', String(child)], { encoding: 'utf8' }).trim();
      } catch {
        continue;
      }
      if (comm === name) return child;
      queue.push(child);
    }
  }
  return undefined;
}

/** Current and peak resident memory of a process, in MB (from /proc: VmRSS, VmHWM). */
export function rssMb(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
    return { rss: Math.round(kb('VmRSS') / 1024), peak: Math.round(kb('VmHWM') / 1024) };
  } catch {
    return { rss: NaN, peak: NaN };
  }
}
