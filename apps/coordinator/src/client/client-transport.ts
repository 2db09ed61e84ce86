// What a client connection needs from its byte pipe, so that a TCP socket on the client port and a WebSocket on
// the admin port carry the same sessions: write frames, batch one turn's writes, pause reading, end or drop it.
export interface ClientTransport {
  /** The peer's IP address (for logs, `cons`, the ip ACL scheme and maxClientCnxns); undefined once gone. */
  readonly remoteAddress: string | undefined;
  readonly remotePort: number | undefined;
  /** One whole length-prefixed frame, as the wire codec encodes it. */
  write(frame: Uint8Array): void;
  /** One whole frame given as consecutive pieces (a large value is sent without being copied into its reply). */
  writePieces(pieces: readonly Uint8Array[]): void;
  /** Writes between cork() and uncork() may leave together. */
  cork(): void;
  uncork(): void;
  /** Back-pressure: stop delivering incoming bytes until resume(). */
  pause(): void;
  resume(): void;
  /** Sends what was written, then closes. */
  end(): void;
  /** Closes now, dropping what was not sent. */
  destroy(): void;
  /** Called once when the transport is closed, for any reason. */
  onClose(listener: () => void): void;
  onError(listener: (error: Error) => void): void;
}
