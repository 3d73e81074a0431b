/**
 * Wakes the order-feed reads waiting in this process as soon as an order
 * written here commits, instead of at their next look at the database. A
 * replica that did not write the order finds it at its next look.
 */
export class OrderBell {
  private readonly waiting = new Set<() => void>();
  private rings = 0;

  /** Wakes every read waiting now. */
  ring(): void {
    this.rings += 1;
    const woken = [...this.waiting];
    this.waiting.clear();
    woken.forEach(wake => wake());
  }

  /**
   * A mark to pass to {@link OrderBell.wait}: take it before looking at the
   * database, so a ring while the look runs is not missed.
   */
  mark(): number {
    return this.rings;
  }

  /**
   * Resolves at once if the bell rang since `mark`; else at the next ring,
   * after `ms`, or on `signal`, whichever comes first.
   */
  wait(mark: number, ms: number, signal?: AbortSignal): Promise<void> {
    if (this.rings !== mark || signal?.aborted) return Promise.resolve();
    return new Promise(resolve => {
      const state: { timer?: ReturnType<typeof setTimeout> } = {};
      const wake = () => {
        clearTimeout(state.timer);
        this.waiting.delete(wake);
        signal?.removeEventListener('abort', wake);
        resolve();
      };
      state.timer = setTimeout(wake, ms);
      this.waiting.add(wake);
      signal?.addEventListener('abort', wake, { once: true });
    });
  }
}
