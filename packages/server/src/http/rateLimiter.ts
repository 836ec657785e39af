import { ServerError } from './serverError.js';

export interface RateLimit {
  /** Sustained requests per second per token (0: no limit). */
  perSecond: number;
  /** Requests a token may make at once above the sustained rate. */
  burst: number;
}

export const DEFAULT_RATE_LIMIT: RateLimit = { perSecond: 200, burst: 1000 };

/**
 * A token bucket per caller (token id, or the address of unauthenticated callers), in this replica's memory:
 * past the limit the answer is 429 with Retry-After, which clients honour before retrying.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly limit: RateLimit) {}

  take(caller: string, now = Date.now()): void {
    const { perSecond, burst } = this.limit;
    if (perSecond <= 0) return;
    const bucket = this.buckets.get(caller) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
    bucket.at = now;
    if (bucket.tokens < 1) {
      this.buckets.set(caller, bucket);
      const retryAfter = Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond));
      throw new ServerError(429, 'RATE_LIMITED', `too many requests: retry after ${retryAfter} s`, { retryAfter });
    }
    bucket.tokens -= 1;
    if (this.buckets.size > 100_000) this.buckets.clear(); // bounded memory under a flood of callers
    this.buckets.set(caller, bucket);
  }
}
