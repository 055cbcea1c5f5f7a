import { afterAll, expect, vi } from 'vitest';
import { findLeaks, recordOutput, recordedOutputs, registeredSecrets } from './output-scan.js';

// Every in-process `meshdeck` run of every test file: its stdout and stderr are recorded as written.
vi.mock('../../source/cli/run.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../source/cli/run.js')>();
  return {
    ...actual,
    main: async (argv: string[], ctx: import('../../source/cli/command.js').CommandContext) => {
      // Named by command and test, never by the whole argv (a test may pass a token as an argument).
      const words = argv.slice(0, 2).filter((w) => /^[a-z-]+$/.test(w));
      const label = `meshdeck ${words.join(' ')} in "${expect.getState().currentTestName ?? 'a hook'}"`;
      const tee = (stream: NodeJS.WritableStream, name: string) => {
        let text = '';
        const write = (chunk: unknown, ...rest: unknown[]) => {
          text += String(chunk);
          return (stream.write as (...args: unknown[]) => boolean).call(stream, chunk, ...rest);
        };
        return { proxy: new Proxy(stream, { get: (target, key) => (key === 'write' ? write : Reflect.get(target, key)) }), done: () => recordOutput(`${label} (${name})`, text) };
      };
      const out = tee(ctx.stdout, 'stdout');
      const err = tee(ctx.stderr, 'stderr');
      try {
        return await actual.main(argv, { ...ctx, stdout: out.proxy, stderr: err.proxy });
      } finally {
        out.done();
        err.done();
      }
    },
  };
});

afterAll(() => {
  const leaks = findLeaks(recordedOutputs(), registeredSecrets());
  expect(leaks, 'meshdeck printed secrets the simulator issued').toEqual([]);
});
