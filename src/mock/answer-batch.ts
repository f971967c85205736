// The API requests whose bodies were read in one turn of the event loop, answered together at its end:
// first every answer computed, then every answer written.
//
// Why written together: a write to a client that sleeps waiting for it wakes that client, and on a virtual
// machine the kernel's wake-up is the dearest part of a small answer (perf on the bench host: about 7 µs of
// a 50 µs request, in sock_def_readable). A client with many connections open (a load generator, a test
// runner, a browser) is woken once for the answers of a turn instead of once for each.
//
// Why computed together: between two requests, node:http and the kernel run, and the pipeline's code and
// data are cold again when the next request reaches it; it ran 2–3× slower per request in the server than
// in a loop (DECISIONS item 35). Computed one after another, the second and later requests of a turn find
// them warm.
//
// The requests of a turn are those whose bytes arrived together; an answer waits only for the others of its
// turn (tens of µs under load, nothing when it is alone), and setImmediate runs before the next poll.

/** A request whose answer is to be computed when the turn ends. */
export interface PendingAnswer {
  /** Computes the answer; one ready at once is handed back through `AnswerBatch.add`. Never throws. */
  computeNow(): void;
}

/** An answer computed, to be written when the turn ends. */
export interface PendingWrite {
  /** Writes the answer (or notes that the client is gone); never throws. */
  writeNow(): void;
}

export class AnswerBatch {
  private computing: PendingAnswer[] = [];
  private writing: PendingWrite[] = [];
  private scheduled = false;

  /** A request to answer at the end of this turn. */
  compute(answer: PendingAnswer): void {
    this.computing.push(answer);
    this.schedule();
  }

  /** An answer to write at the end of this turn (in the same pass, when it was computed by the batch). */
  add(write: PendingWrite): void {
    this.writing.push(write);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(this.flush);
  }

  // Each list is swapped before its loop: what is added while writing waits for the next turn. The answers
  // computed here join this pass's writes, because `scheduled` stays set until the writes are taken.
  private readonly flush = (): void => {
    const answers = this.computing;
    this.computing = [];
    for (const answer of answers) answer.computeNow();
    const writes = this.writing;
    this.writing = [];
    this.scheduled = false;
    if (this.computing.length > 0) this.schedule();
    for (const write of writes) write.writeNow();
  };
}
