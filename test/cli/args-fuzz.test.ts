import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseOptions, UsageError, type OptionSpec } from '../../source/cli/args.js';
import { main } from '../../source/cli/run.js';
import { cockpitCommand } from '../../source/cli/cockpit-command.js';
import { demoCommand } from '../../source/cli/demo-command.js';
import { simCommand } from '../../source/cli/sim-command.js';
import { logsCommand } from '../../source/cli/logs-command.js';
import { doctorCommand } from '../../source/cli/doctor-command.js';
import { caCommand } from '../../source/cli/ca-command.js';

const COMMANDS = [cockpitCommand, demoCommand, simCommand, logsCommand, doctorCommand, caCommand];

// Anything a terminal could be made to do by echoing a message back: line breaks, escapes, other controls.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** Words an argv is made of: every flag the command knows, in every spelling, values good and bad, and noise. */
function argvFor(specs: OptionSpec[]): fc.Arbitrary<string[]> {
  const flags = specs.flatMap((s) => [`--${s.name}`, ...(s.short ? [`-${s.short}`] : [])]);
  const word = fc.oneof(
    fc.constantFrom(...flags, '--help', '-h', '--', '-', '--=', '---', '-h=1', '--no-such-flag', '-Z', '--__proto__', '--constructor', '--toString'),
    fc.constantFrom(...flags).chain((flag) => fc.oneof(fc.string(), fc.constantFrom('', '0', '-1', '1e3', '007', '9007199254740993', ' 5', '5 ', 'NaN', 'true', 'a,b', '\n', 'x\ny', '\u001b[2J')).map((value) => `${flag}=${value}`)),
    fc.constantFrom('0', '1', '-1', '65536', '99999999999999999999', 'east,west', 'deploy/x', 'pod/a', '', ' ', 'x\ny', '\u001b]0;owned\u0007', '\u2028'),
    fc.string(),
    fc.string({ unit: 'binary' }),
  );
  return fc.array(word, { maxLength: 8 });
}

describe('parseOptions: any argv gives options or a one-line UsageError, never another throw', () => {
  it.each(COMMANDS.map((c) => [c.name, c] as const))('meshdeck %s', (_name, command) => {
    fc.assert(
      fc.property(argvFor(command.options), (argv) => {
        let result: ReturnType<typeof parseOptions>;
        try {
          result = parseOptions(command.name, command.options, argv);
        } catch (error) {
          expect(error).toBeInstanceOf(UsageError);
          const message = (error as UsageError).message;
          expect(message.length).toBeGreaterThan(0);
          expect(message, JSON.stringify(message)).not.toMatch(CONTROL);
          expect((error as UsageError).command).toBe(command.name);
          return;
        }
        for (const spec of command.options) {
          const value = result.options[spec.name];
          if (value === undefined || value === spec.default) continue;
          if (spec.kind === 'integer') {
            expect(Number.isSafeInteger(value)).toBe(true);
            if (spec.min !== undefined) expect(value as number).toBeGreaterThanOrEqual(spec.min);
            if (spec.max !== undefined) expect(value as number).toBeLessThanOrEqual(spec.max);
          } else if (spec.kind === 'boolean') {
            expect(typeof value).toBe('boolean');
          } else {
            expect(typeof value).toBe('string');
            expect(value).not.toBe('');
          }
        }
        expect(Array.isArray(result.positionals)).toBe(true);
      }),
      { numRuns: 600 },
    );
  });

  it.each([
    ['an unknown flag with a line break in it', ['--con\ntext', 'east'], 'unknown flag --con\\ntext'],
    ['an escape sequence in a whole-number flag', ['--clusters', '2\u001b[2J'], '--clusters takes a whole number, got "2\\u001b[2J"'],
    ['a terminal title sequence as an unknown short flag', ['-\u001b]0;x\u0007'], 'unknown flag -\\u001b'],
  ])('%s is quoted back escaped, on one line', (_name, argv, message) => {
    const error = (() => {
      try {
        parseOptions('sim', simCommand.options, argv);
      } catch (e) {
        return e as Error;
      }
      throw new Error('expected a UsageError');
    })();
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toBe(message);
  });
});

describe('meshdeck ARGV: wrong usage is two lines on stderr and exit code 2', () => {
  async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (c: Buffer) => (out += c.toString()));
    stderr.on('data', (c: Buffer) => (err += c.toString()));
    const code = await main(argv, { stdout, stderr, env: { HOME: '/nonexistent', KUBECONFIG: '/nonexistent/kubeconfig' } });
    return { code, stdout: out, stderr: err };
  }

  it('an unknown flag, a bad value or a stray argument, whatever its bytes', async () => {
    // Every argv here starts with a word that makes it wrong usage, so no command ever runs.
    const wrong = fc.oneof(
      fc.tuple(fc.constantFrom('sim', 'demo', 'logs', 'doctor', 'ca'), fc.string({ unit: 'binary', minLength: 1 })).map(([command, junk]) => [command, `--zz${junk}`]),
      fc.tuple(fc.constantFrom('sim', 'demo'), fc.string({ unit: 'binary', minLength: 1 })).map(([command, junk]) => [command, '--clusters', `x${junk}`]),
      fc.string({ unit: 'binary', minLength: 1 }).map((junk) => ['doctor', `unexpected${junk}`]),
      fc.string({ unit: 'binary', minLength: 1 }).filter((w) => !w.startsWith('-') && !['cockpit', 'demo', 'sim', 'logs', 'doctor', 'ca', 'help', 'gateway', 'inject', 'join'].includes(w)).map((junk) => [junk]),
    );
    await fc.assert(
      fc.asyncProperty(wrong, async (argv) => {
        const { code, stdout, stderr } = await run(argv);
        expect(code).toBe(2);
        expect(stdout).toBe('');
        const printed = stderr.split('\n');
        expect(printed, JSON.stringify(stderr)).toHaveLength(3);
        expect(printed[0]).toMatch(/^meshdeck: /);
        expect(printed[0], JSON.stringify(printed[0])).not.toMatch(CONTROL);
        expect(printed[1]).toMatch(/^Run 'meshdeck( \w+)? --help' for usage\.$/);
        expect(printed[2]).toBe('');
      }),
      { numRuns: 200 },
    );
  });
});
