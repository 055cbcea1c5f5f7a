import { describe, expect, it } from 'vitest';
import { DataPacer } from '../../../source/ui/hooks/data-pacer.js';

/** A fake clock and timer queue: run(ms) moves time on and fires what is due. */
function fakeTime() {
  let now = 0;
  let timers: { at: number; fn: () => void; id: number }[] = [];
  let next = 1;
  return {
    now: () => now,
    setTimer: (fn: () => void, ms: number) => {
      const id = next++;
      timers.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimer: (id: unknown) => {
      timers = timers.filter((t) => t.id !== id);
    },
    run(ms: number) {
      const end = now + ms;
      for (;;) {
        const due = timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        timers = timers.filter((t) => t !== due);
        now = due.at;
        due.fn();
      }
      now = end;
    },
  };
}

function pacer() {
  const time = fakeTime();
  const applied: number[] = [];
  const p = new DataPacer(() => applied.push(time.now()), { minIntervalMs: 100, keyQuietMs: 80, maxDeferMs: 1000, ...time });
  return { time, applied, p };
}

describe('DataPacer', () => {
  it('applies a change at once when nothing else happens', () => {
    const { time, applied, p } = pacer();
    p.changed();
    time.run(1);
    expect(applied).toEqual([0]);
  });

  it('applies at most once per interval, however often the source notifies', () => {
    const { time, applied, p } = pacer();
    for (let t = 0; t < 1000; t += 5) {
      p.changed();
      time.run(5);
    }
    expect(applied.length).toBeLessThanOrEqual(11); // at 0, 100, ..., 1000
    expect(applied.length).toBeGreaterThanOrEqual(10);
    for (let i = 1; i < applied.length; i++) expect(applied[i]! - applied[i - 1]!).toBeGreaterThanOrEqual(100);
  });

  it('lets keys go first: data waits until keys pause', () => {
    const { time, applied, p } = pacer();
    p.keyPressed();
    p.changed();
    time.run(50);
    p.keyPressed(); // at 50: the data waits until 130
    time.run(60);
    expect(applied).toEqual([]);
    time.run(30);
    expect(applied).toEqual([130]);
  });

  it('does not hold data back longer than maxDeferMs while keys keep coming', () => {
    const { time, applied, p } = pacer();
    p.changed();
    time.run(0);
    applied.length = 0;
    p.changed(); // at 0, waiting since 0
    for (let t = 0; t < 1500; t += 40) {
      p.keyPressed();
      time.run(40);
    }
    expect(applied[0]).toBeGreaterThanOrEqual(1000);
    expect(applied[0]).toBeLessThan(1100);
  });

  it('does nothing after dispose', () => {
    const { time, applied, p } = pacer();
    p.keyPressed();
    p.changed();
    p.dispose();
    time.run(2000);
    expect(applied).toEqual([]);
  });
});

describe('DataPacer: expensive redraws', () => {
  it('spaces redraws by ten times what the last one took', () => {
    const time = fakeTime();
    const applied: number[] = [];
    // Each apply takes 30 ms of the (fake) clock.
    const p = new DataPacer(() => (applied.push(time.now()), time.run(30)), { minIntervalMs: 100, keyQuietMs: 80, maxDeferMs: 1000, ...time });
    for (let t = 0; t < 2000; t += 10) {
      p.changed();
      time.run(10);
    }
    for (let i = 1; i < applied.length; i++) expect(applied[i]! - applied[i - 1]!).toBeGreaterThanOrEqual(300);
    expect(applied.length).toBeGreaterThanOrEqual(6);
  });
});

describe('DataPacer: very expensive redraws', () => {
  it('still redraws about once per maxDeferMs', () => {
    const time = fakeTime();
    const applied: number[] = [];
    const p = new DataPacer(() => (applied.push(time.now()), time.run(400)), { minIntervalMs: 100, keyQuietMs: 80, maxDeferMs: 1000, ...time });
    for (let t = 0; t < 5000; t += 10) {
      p.changed();
      time.run(10);
    }
    for (let i = 1; i < applied.length; i++) expect(applied[i]! - applied[i - 1]!).toBeLessThanOrEqual(1500);
  });
});
