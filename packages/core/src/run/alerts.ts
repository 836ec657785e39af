import { InvalidValueError } from '../errors/runlogError.js';
import { encodeJson } from '../values/jsonCodec.js';

export type AlertLevel = 'INFO' | 'WARN' | 'ERROR';

/** What `run.alert()` takes. */
export interface AlertOptions {
  title: string;
  text: string;
  level?: AlertLevel;
  /** The same title again within this many milliseconds is suppressed. */
  waitDurationMs?: number;
}

/** A raised alert, as the 'alert' event gives it. */
export interface Alert {
  title: string;
  text: string;
  level: AlertLevel;
  step: number;
}

/** wandb's default wait_duration: the same title again within a minute is suppressed. */
export const DEFAULT_ALERT_WAIT_MS = 60_000;
/** wandb: "The title of the alert, must be less than 64 characters long". */
export const MAX_ALERT_TITLE = 64;
const LEVELS: readonly AlertLevel[] = ['INFO', 'WARN', 'ERROR'];

/** run.alert(): checks an alert, suppresses a title raised again too soon, and gives its alerts.jsonl line. */
export class Alerts {
  private readonly lastRaised = new Map<string, number>();

  /** The alert to record at `step`, or undefined when its title was raised less than its wait duration ago. */
  raise(alert: AlertOptions, step: number, now = Date.now()): Alert | undefined {
    if (typeof alert?.title !== 'string' || alert.title.length === 0)
      throw new InvalidValueError('an alert needs a title', 'INVALID_ARGUMENT');
    if (alert.title.length >= MAX_ALERT_TITLE)
      throw new InvalidValueError(
        `an alert title must be shorter than ${MAX_ALERT_TITLE} characters (wandb's limit), got ${alert.title.length}`,
        'INVALID_ARGUMENT',
      );
    const level = alert.level ?? 'INFO';
    if (!LEVELS.includes(level))
      throw new InvalidValueError('alert level must be INFO, WARN or ERROR', 'INVALID_ARGUMENT');
    const last = this.lastRaised.get(alert.title);
    if (last !== undefined && now - last < (alert.waitDurationMs ?? DEFAULT_ALERT_WAIT_MS)) return undefined;
    this.lastRaised.set(alert.title, now);
    return { title: alert.title, text: String(alert.text ?? ''), level, step };
  }
}

/** An alert's line in alerts.jsonl (docs/FORMAT.md). */
export function alertLine(alert: Alert): string {
  return `${encodeJson({ ...alert, _timestamp: Date.now() / 1000, _step: alert.step })}\n`;
}
