import type { KubeObject } from '../objects.js';
import type { ResourceDef } from '../resources/types.js';

export interface StoreEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  def: ResourceDef;
  object: KubeObject;
  /**
   * The object before a MODIFIED or DELETED event, so watches with selectors can tell objects that left
   * and a paged list can be served as it was when its first page was (ObjectStore.listAt).
   */
  previous?: KubeObject;
  revision: number;
}

/** A ring buffer of the most recent events, like the API server's watch cache window. */
export class EventHistory {
  private readonly buffer: (StoreEvent | undefined)[];
  private start = 0;
  private size = 0;
  /** Every event at or below this revision is gone. */
  compactedRevision = 0;

  constructor(private readonly capacity: number) {
    this.buffer = new Array(capacity);
  }

  push(event: StoreEvent): void {
    if (this.size === this.capacity) {
      this.compactedRevision = this.buffer[this.start]!.revision;
      this.buffer[this.start] = event;
      this.start = (this.start + 1) % this.capacity;
      return;
    }
    this.buffer[(this.start + this.size) % this.capacity] = event;
    this.size++;
  }

  since(revision: number): StoreEvent[] | undefined {
    if (revision < this.compactedRevision) return undefined;
    const out: StoreEvent[] = [];
    for (let i = 0; i < this.size; i++) {
      const event = this.buffer[(this.start + i) % this.capacity]!;
      if (event.revision > revision) out.push(event);
    }
    return out;
  }

  compactAll(revision: number): void {
    this.buffer.fill(undefined);
    this.start = 0;
    this.size = 0;
    this.compactedRevision = revision;
  }
}
