/** Server-sent events for a set of runs: `history` when rows were appended, `state` when a run's state changed. */
export function subscribeLive(
  runs: string[],
  handlers: {
    history?: (data: { run: string; stream: string }) => void;
    state?: (data: { run: string; state: string }) => void;
  },
): () => void {
  if (!runs.length) return () => {};
  const source = new EventSource(`/api/live?runs=${encodeURIComponent(runs.join(','))}`);
  source.addEventListener('history', (event) => handlers.history?.(JSON.parse((event as MessageEvent).data)));
  source.addEventListener('state', (event) => handlers.state?.(JSON.parse((event as MessageEvent).data)));
  return () => source.close();
}
