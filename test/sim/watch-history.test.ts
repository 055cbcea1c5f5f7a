import { describe, expect, it } from 'vitest';
import { EventHistory, type StoreEvent } from '../../source/sim/store/event-history.js';
import { K } from '../../source/sim/controllers/kinds.js';

const event = (revision: number, type: StoreEvent['type'] = 'MODIFIED'): StoreEvent => ({
  type,
  def: K.configMaps,
  object: { metadata: { name: `cm-${revision}`, namespace: 'default', resourceVersion: String(revision) } },
  revision,
});

const revisions = (events: StoreEvent[] | undefined) => events?.map((e) => e.revision);

describe('EventHistory (the watch-cache window)', () => {
  it('returns the events after a revision, oldest first, while nothing has been dropped', () => {
    const history = new EventHistory(5);
    for (let rv = 1; rv <= 4; rv++) history.push(event(rv));
    expect(history.compactedRevision).toBe(0);
    expect(revisions(history.since(0))).toEqual([1, 2, 3, 4]);
    expect(revisions(history.since(2))).toEqual([3, 4]);
    expect(revisions(history.since(4))).toEqual([]);
    // A revision the history has not reached yet has nothing after it (not an error).
    expect(revisions(history.since(99))).toEqual([]);
  });

  it('drops the oldest events once full, and the boundary is exact', () => {
    const history = new EventHistory(3);
    for (let rv = 1; rv <= 7; rv++) history.push(event(rv));
    // Holds 5, 6, 7: every event at or below 4 is gone.
    expect(history.compactedRevision).toBe(4);
    // Resuming at the oldest resumable revision replays everything still held...
    expect(revisions(history.since(4))).toEqual([5, 6, 7]);
    expect(revisions(history.since(5))).toEqual([6, 7]);
    expect(revisions(history.since(7))).toEqual([]);
    // ...and one below it would need event 4, which is gone: the caller answers 410.
    expect(history.since(3)).toBeUndefined();
    expect(history.since(0)).toBeUndefined();
  });

  it('keeps the window correct as the ring wraps many times', () => {
    const capacity = 4;
    const history = new EventHistory(capacity);
    for (let rv = 1; rv <= 23; rv++) {
      history.push(event(rv));
      const oldestKept = Math.max(1, rv - capacity + 1);
      expect(history.compactedRevision).toBe(oldestKept - 1);
      expect(revisions(history.since(oldestKept - 1))).toEqual(Array.from({ length: rv - oldestKept + 1 }, (_, i) => oldestKept + i));
      if (oldestKept > 1) expect(history.since(oldestKept - 2)).toBeUndefined();
    }
  });

  it('compactAll forgets everything up to the given revision and keeps working afterwards', () => {
    const history = new EventHistory(10);
    for (let rv = 1; rv <= 5; rv++) history.push(event(rv));
    history.compactAll(5);
    expect(history.compactedRevision).toBe(5);
    expect(history.since(4)).toBeUndefined();
    expect(history.since(0)).toBeUndefined();
    expect(revisions(history.since(5))).toEqual([]);
    history.push(event(6));
    history.push(event(7, 'DELETED'));
    expect(revisions(history.since(5))).toEqual([6, 7]);
    expect(history.since(6)!.map((e) => e.type)).toEqual(['DELETED']);
    // Filling the ring after a compaction moves the boundary on from there.
    for (let rv = 8; rv <= 20; rv++) history.push(event(rv));
    expect(history.compactedRevision).toBe(10);
    expect(revisions(history.since(10))).toEqual([11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
    expect(history.since(9)).toBeUndefined();
  });

  it('hands back the stored events themselves, in the order they were pushed', () => {
    const history = new EventHistory(3);
    const pushed = [event(1, 'ADDED'), event(2, 'MODIFIED'), event(3, 'DELETED')];
    for (const e of pushed) history.push(e);
    const replay = history.since(0)!;
    expect(replay.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    expect(replay[2]).toBe(pushed[2]);
  });
});
