// The request log of the mock's CLI and of `npm start`: lines are gathered and written once per turn of
// the event loop (one write per burst, not per request), and at most `perSecond` lines are shown in a
// second; beyond that (a load test, not a person reading) requests are only counted by outcome and summed
// up in one line when the second ends.

/** Returns a `log` for startMockServer that writes batched, rate-capped lines through `write`. */
export function createRequestLog(write: (text: string) => void = (text) => process.stdout.write(text), perSecond = 50): (line: string) => void {
  let pending: string[] = [];
  let shown = 0;
  let skipped = new Map<string, number>();
  let windowTimer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    if (pending.length === 0) return;
    write(`${pending.join('\n')}\n`);
    pending = [];
  };
  const endWindow = () => {
    windowTimer = undefined;
    if (skipped.size > 0) {
      const total = [...skipped.values()].reduce((a, b) => a + b, 0);
      const outcomes = [...skipped].map(([outcome, n]) => `${outcome} ×${n}`).join(', ');
      pending.push(`… and ${total} more requests in that second (${outcomes})`);
      flush();
    }
    shown = 0;
    skipped = new Map();
  };
  return (line) => {
    if (windowTimer === undefined) {
      windowTimer = setTimeout(endWindow, 1000);
      (windowTimer as { unref?: () => void }).unref?.();
    }
    if (shown >= perSecond) {
      // Log lines read `<method> <path> → <outcome> …`; the outcome is what the summary counts.
      const outcome = / → (\S+)/.exec(line)?.[1] ?? '?';
      skipped.set(outcome, (skipped.get(outcome) ?? 0) + 1);
      return;
    }
    shown++;
    if (pending.length === 0) setImmediate(flush);
    pending.push(line);
  };
}
