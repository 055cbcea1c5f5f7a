/** Tells the data pacers that a key arrived (one call from the input handler, every pacer hears it). */
export class KeyActivity {
  private readonly listeners = new Set<() => void>();

  pressed(): void {
    for (const listener of this.listeners) listener();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
