/**
 * The adds of a draft artifact that have started and not finished. wandb's add_file/add_dir are synchronous, so
 * ported code calls ours without awaiting them; logging waits here for every one, and a failed add fails the
 * logging with its own error instead of silently leaving its files out.
 */
export class PendingAdds {
  private readonly running = new Set<Promise<unknown>>();
  private failed: { error: unknown } | undefined;

  /** Tracks one add; the same promise is returned, marked handled so an add nobody awaits cannot crash the process. */
  track<T>(work: Promise<T>): Promise<T> {
    this.running.add(work);
    work.then(
      () => this.running.delete(work),
      (error: unknown) => {
        this.running.delete(work);
        this.failed ??= { error };
      },
    );
    return work;
  }

  /** Resolves once every tracked add has finished; rejects with the first failed add's error. */
  async settle(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running]);
    if (this.failed) throw this.failed.error;
  }
}
