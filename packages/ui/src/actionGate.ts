import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HttpError } from './httpError.js';

/** The header every changing request must carry: a page on another site cannot send it without a CORS preflight. */
export const ACTION_HEADER = 'x-runlog-action';

/** Whether an interface to bind reaches only this machine (127.0.0.0/8, ::1, localhost). */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    bare === 'localhost' ||
    bare === '::1' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare) ||
    bare === '::ffff:127.0.0.1'
  );
}

/** A fixed-size digest, so comparing two tokens takes the same time whatever their lengths and contents. */
const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/**
 * Who may change the store (edit, delete) through the dashboard. Every changing request needs the action header.
 * With a token, it must also carry `Authorization: Bearer <token>` (compared in constant time). Without a token,
 * a dashboard bound off loopback (reachable from the network) is read-only. The token never appears in a
 * message or a log.
 */
export class ActionGate {
  private readonly expected: Buffer | undefined;
  private readonly readOnly: boolean;

  constructor(host: string, token: string | undefined) {
    this.expected = token ? digest(token) : undefined;
    this.readOnly = !token && !isLoopback(host);
  }

  /** Whether changing requests can be made at all (the app hides its actions otherwise). */
  get allowsActions(): boolean {
    return !this.readOnly;
  }

  /** Whether the actions need a token. */
  get needsToken(): boolean {
    return this.expected !== undefined;
  }

  /** Throws the 4xx a changing request gets when it may not change anything. */
  check(req: IncomingMessage): void {
    if (req.headers[ACTION_HEADER] !== '1')
      throw new HttpError(403, `changing requests need the header ${ACTION_HEADER}: 1`);
    if (this.readOnly)
      throw new HttpError(
        403,
        'this dashboard is read-only: it listens beyond this machine without a token (start it with --token or RUNLOG_UI_TOKEN to allow edits and deletes)',
        'READ_ONLY',
      );
    if (!this.expected) return;
    const header = req.headers.authorization ?? '';
    const given = /^Bearer (.+)$/.exec(header)?.[1];
    if (given === undefined || !timingSafeEqual(digest(given), this.expected))
      throw new HttpError(
        401,
        'edits and deletes need the dashboard token (Authorization: Bearer <token>)',
        'TOKEN_REQUIRED',
      );
  }
}
