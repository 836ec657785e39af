/** Calls to the dashboard server's JSON API (documented in the package README). */
import { decodeJsonValue } from '@runlog/core/browser';

/**
 * Turns the store's encoded values ({"_type":"float","value":"NaN"}, dates) back into numbers and dates: core's one
 * codec, from its browser-safe entry.
 */
export const decodeValue = decodeJsonValue;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function parse<T>(response: Response): Promise<T> {
  const body = (await response.json().catch(() => ({}))) as { error?: { code: string; message: string } };
  if (!response.ok) {
    throw new ApiError(response.status, body.error?.code ?? 'HTTP', body.error?.message ?? response.statusText);
  }
  return body as T;
}

export async function getJson<T>(path: string, params: Record<string, string | number | undefined> = {}): Promise<T> {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) query.set(key, String(value));
  const text = query.toString();
  return parse<T>(await fetch(text ? `${path}?${text}` : path));
}

/** Where the dashboard token is kept for this tab (asked once, when the server wants it for an action). */
const TOKEN_KEY = 'runlog-ui-token';

/**
 * A changing request (edit, delete): carries the action header the server requires, and the dashboard token when
 * it was started with one (asked for on the first 401 TOKEN_REQUIRED, then kept for this tab).
 */
export async function sendAction<T>(method: 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const send = () => {
    const token = sessionStorage.getItem(TOKEN_KEY);
    return fetch(path, {
      method,
      headers: {
        'content-type': 'application/json',
        'x-runlog-action': '1',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  };
  let response = await send();
  if (response.status === 401) {
    const token = window.prompt('This dashboard needs its token for edits and deletes (runlog ui --token):');
    if (token) {
      sessionStorage.setItem(TOKEN_KEY, token);
      response = await send();
      if (response.status === 401) sessionStorage.removeItem(TOKEN_KEY); // wrong: ask again next time
    }
  }
  return parse<T>(response);
}

/** URL of a file inside a run folder (media, saved files). */
export const fileUrl = (run: string, path: string) =>
  `/files/${run}/${path.split('/').map(encodeURIComponent).join('/')}`;
