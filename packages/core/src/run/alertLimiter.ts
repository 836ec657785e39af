/** Suppresses an alert whose title was already raised less than its wait duration ago (wandb's wait_duration). */
export class AlertLimiter {
  private readonly lastRaised = new Map<string, number>();

  allow(title: string, waitDurationMs: number, now = Date.now()): boolean {
    const last = this.lastRaised.get(title);
    if (last !== undefined && now - last < waitDurationMs) return false;
    this.lastRaised.set(title, now);
    return true;
  }
}
