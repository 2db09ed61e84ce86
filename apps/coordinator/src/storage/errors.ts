// Typed storage failures. A refusal stops the server at start-up with an explanation an operator can act
// on; the others fail appends, which stops the server rather than let it acknowledge what is not durable.

/** The data on disk cannot be turned into a tree without losing acknowledged state: do not start. */
export class StorageRefusedError extends Error {
  override readonly name = 'StorageRefusedError';
  constructor(
    message: string,
    /** What the operator can do about it. */
    readonly remedy: string,
  ) {
    super(message);
  }
}

/** An append or read after close(). */
export class StorageClosedError extends Error {
  override readonly name = 'StorageClosedError';
}

/** The log failed once (I/O error, disk full): later appends cannot be ordered after the lost ones. */
export class LogFailedError extends Error {
  override readonly name = 'LogFailedError';
}
