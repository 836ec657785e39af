import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const ownerChild = join(import.meta.dirname, 'fixtures', 'ownerChild.ts');

export interface ChildEvent {
  event: string;
  pid: number;
  code?: string;
  message?: string;
  rows?: number;
}

/** A child running test/fixtures/ownerChild.ts, with its JSON-line events. */
export interface OwnerChild {
  proc: ChildProcess;
  events: ChildEvent[];
  /** Resolves with the first event of this name (rejects if the child exits first). */
  waitFor(event: string): Promise<ChildEvent>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

export function startOwnerChild(store: string, scenario: string, id: string, arg?: string): OwnerChild {
  const proc = spawn(process.execPath, ['--import', 'tsx', ownerChild, store, scenario, id, ...(arg ? [arg] : [])], {
    cwd: join(import.meta.dirname, '..', '..', '..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events: ChildEvent[] = [];
  const waiters: Array<{ name: string; resolve: (e: ChildEvent) => void; reject: (e: Error) => void }> = [];
  let out = '';
  let stderr = '';
  proc.stdout?.on('data', (d) => {
    out += String(d);
    for (let nl = out.indexOf('\n'); nl !== -1; nl = out.indexOf('\n')) {
      const line = out.slice(0, nl);
      out = out.slice(nl + 1);
      if (!line.startsWith('{')) continue;
      const event = JSON.parse(line) as ChildEvent;
      events.push(event);
      for (const w of waiters.filter((w) => w.name === event.event)) w.resolve(event);
    }
  });
  proc.stderr?.on('data', (d) => {
    stderr += String(d);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    proc.on('exit', (code, signal) => {
      for (const w of waiters) w.reject(new Error(`child exited (${code} ${signal}) before ${w.name}: ${stderr}`));
      resolve({ code, signal, stderr });
    }),
  );
  return {
    proc,
    events,
    exited,
    waitFor(name) {
      const seen = events.find((e) => e.event === name);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => waiters.push({ name, resolve, reject }));
    },
  };
}
