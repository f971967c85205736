// The API answers that are ready in one turn of the event loop, written together at its end.
//
// Why: a write to a client that sleeps waiting for it wakes that client, and on a virtual machine the
// kernel's wake-up is the dearest part of a small answer (perf on the bench host: about 7 µs of a 50 µs
// request, in sock_def_readable). A client with many connections open (a load generator, a test runner,
// a browser) is woken once for the answers of a turn instead of once for each. The answers of a turn are
// the requests whose bytes arrived together; an answer waits only for the others of its turn to be
// computed (tens of µs under load, nothing when it is alone), and setImmediate runs before the next poll.

/** An answer computed, to be written when the turn ends. */
export interface PendingWrite {
  /** Writes the answer (or notes that the client is gone); never throws. */
  writeNow(): void;
}

export class AnswerBatch {
  private queue: PendingWrite[] = [];

  add(write: PendingWrite): void {
    this.queue.push(write);
    if (this.queue.length === 1) setImmediate(this.flush);
  }

  // Swapped before the loop, so that an answer added while writing waits for the next turn, not this loop.
  private readonly flush = (): void => {
    const writes = this.queue;
    this.queue = [];
    for (const write of writes) write.writeNow();
  };
}
