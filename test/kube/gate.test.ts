import { describe, expect, it } from 'vitest';
import { Gate } from '../../source/kube/gate.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Gate', () => {
  it('runs at most `limit` tasks at once, in the order they came', async () => {
    const gate = new Gate(2, 10_000);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    await Promise.all(
      [0, 1, 2, 3, 4, 5].map((i) =>
        gate.run(async () => {
          running++;
          most = Math.max(most, running);
          order.push(i);
          await sleep(5);
          running--;
        }),
      ),
    );
    expect(most).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('a task that fails gives its place up', async () => {
    const gate = new Gate(1, 10_000);
    await expect(gate.run(() => Promise.reject(new Error('no')))).rejects.toThrow('no');
    await expect(gate.run(async () => 'next')).resolves.toBe('next');
  });

  it('a task that hangs gives its place up after holdMs, so the others are not stalled behind it', async () => {
    const gate = new Gate(1, 50);
    let finish!: () => void;
    const hung = gate.run(() => new Promise<void>((resolve) => (finish = resolve)));
    const started = Date.now();
    await gate.run(async () => undefined);
    expect(Date.now() - started).toBeLessThan(1_000);
    finish();
    await hung;
  });
});
