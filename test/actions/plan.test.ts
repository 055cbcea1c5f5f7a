import { describe, expect, it } from 'vitest';
import { unfinishedLines, type AppliedStep } from '../../source/actions/plan.js';

const step = (verb: string, target: string, status: AppliedStep['status'], message?: string): AppliedStep => ({ cluster: 'east', verb, target, status, ...(message ? { message } : {}) });

describe('unfinishedLines: what an apply that stopped left behind', () => {
  it('says nothing when every step was done', () => {
    expect(unfinishedLines([step('create', 'secret a/b', 'done')])).toEqual([]);
  });

  it('lists applied and not applied steps, a file without its cluster', () => {
    expect(unfinishedLines([step('create', 'secret a/b', 'done'), step('patch', 'namespace a', 'failed', 'patching failed: HTTP 409 Conflict'), step('write', '/tmp/x.yaml', 'skipped')])).toEqual([
      'left half done: 1 of 3 steps carried out',
      '  applied:',
      '    ✓ create secret a/b (east)',
      '  not applied:',
      '    ✗ patch namespace a (east) (failed)',
      '    - write /tmp/x.yaml',
      'run the same command again once the cause is fixed: it reads the clusters again and plans only what is missing',
    ]);
  });

  it.each([['connection reset'], ['connection closed'], ['timed out']])('a step that failed with "%s" may have been made', (reason) => {
    const lines = unfinishedLines([step('create', 'secret a/b', 'failed', `creating secret a/b in east failed: ${reason}`), step('restart', 'deployment a/c', 'skipped')]);
    expect(lines[0]).toBe('left half done: 0 of 2 steps carried out, 1 without an answer');
    expect(lines[2]).toBe('    ? create secret a/b (east) (no answer: it may have been made)');
  });

  it('nothing applied and nothing unanswered (a refusal) says so', () => {
    expect(unfinishedLines([step('patch', 'service a/b', 'failed', 'readonly mode: refused PATCH /api/v1/namespaces/a/services/b (…)'), step('verify', 'endpoints a/b', 'skipped')])[0]).toBe('nothing was applied: 2 steps not carried out');
  });
});
