// The request log of the mock's CLI and of `npm start`: lines are gathered and written once per turn of
// the event loop (one write per burst, not per request), and at most `perSecond` lines are shown in a
// second; beyond that (a load test, not a person reading) requests are only counted by outcome and summed
// up in one line when the second ends.

/** A request log that can also count a request by its outcome alone, without the line being built. */
export interface RequestLog {
  (line: string): void;
  /**
   * When this second's lines are used up: counts the request under its outcome (the outcome's first word,
   * as the line's) and returns true; else returns false, and the caller logs the line. The mock asks
   * first, so that under load it does not format a line per request only to throw it away.
   */
  counted(outcome: string): boolean;
}

/** Returns a `log` for startMockServer that writes batched, rate-capped lines through `write`. */
export function createRequestLog(write: (text: string) => void = (text) => process.stdout.write(text), perSecond = 50): RequestLog {
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
  // True when the line of a request now would go beyond this second's share (which starts with it).
  const full = () => {
    if (windowTimer === undefined) {
      windowTimer = setTimeout(endWindow, 1000);
      (windowTimer as { unref?: () => void }).unref?.();
    }
    return shown >= perSecond;
  };
  const count = (outcome: string) => skipped.set(outcome, (skipped.get(outcome) ?? 0) + 1);
  const log = (line: string) => {
    if (full()) {
      // Log lines read `<method> <path> → <outcome> …`; the outcome is what the summary counts.
      count(/ → (\S+)/.exec(line)?.[1] ?? '?');
      return;
    }
    shown++;
    if (pending.length === 0) setImmediate(flush);
    pending.push(line);
  };
  return Object.assign(log, {
    counted: (outcome: string) => {
      if (!full()) return false;
      count(/^\S+/.exec(outcome)?.[0] ?? '?');
      return true;
    },
  });
}
