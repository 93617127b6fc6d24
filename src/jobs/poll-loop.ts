/**
 * Runs `drain` when woken and again `pollMs` after each drain: the loop of every
 * background worker that takes work from a table (jobs, queued messages). A wake while a
 * drain is running runs one more right after it, so work queued meanwhile is not left
 * waiting for the next poll.
 */
export class PollLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  /** True until `start` and after `stop`: a drain checks it between pieces of work. */
  stopped = true;

  constructor(
    private readonly drain: () => Promise<void>,
    private readonly pollMs: number,
  ) {}

  start() {
    this.stopped = false;
    this.wake();
  }

  /** Looks for work now instead of at the next poll. */
  wake() {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.stopped) return;
      if (this.again) {
        this.again = false;
        this.wake();
      } else this.timer = setTimeout(() => this.wake(), this.pollMs);
    });
  }

  /** Stops at once from polling; resolves when the drain in hand has returned. */
  stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    return this.running ?? Promise.resolve();
  }
}
