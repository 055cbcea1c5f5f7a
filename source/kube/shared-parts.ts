/**
 * One frozen copy of each recurring part of cached objects. Tens of thousands of pods mostly repeat a few
 * shapes (the labels of a ReplicaSet, its container list, a node's name, "Ready: True"), and holding one
 * copy of each instead of one per pod is most of what keeps the cockpit's memory small at 50,000 pods.
 * Frozen because they are shared: a mutation would change every pod at once, so it throws instead.
 */
export class SharedParts {
  private readonly parts = new Map<string, unknown>();

  /** Bounded: pods come and go for days; past the cap the table starts afresh (parts already shared stay valid). */
  constructor(private readonly cap = 50_000) {}

  /** The shared copy of `value` (deeply frozen); `value` itself when it is new. */
  of<T>(value: T): T {
    if (value === null || typeof value !== 'object') return value;
    const key = JSON.stringify(value);
    const known = this.parts.get(key);
    if (known !== undefined) return known as T;
    if (this.parts.size >= this.cap) this.parts.clear();
    deepFreeze(value);
    this.parts.set(key, value);
    return value;
  }

  /** The shared copy of a string (V8 keeps one string per JSON value otherwise). */
  text<T extends string | undefined>(value: T): T {
    if (value === undefined) return value;
    const key = `\u0000${value}`;
    const known = this.parts.get(key);
    if (known !== undefined) return known as T;
    if (this.parts.size >= this.cap) this.parts.clear();
    this.parts.set(key, value);
    return value;
  }

  get size(): number {
    return this.parts.size;
  }
}

function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const child of Object.values(value as Record<string, unknown>)) deepFreeze(child);
}
