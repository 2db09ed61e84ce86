// Closing a node-zookeeper-client (1.1.x) in any state, for tests and tools that give up on a connection.
//
// Its close() while the client is not connected (between reconnect attempts, or with a ConnectRequest still
// unanswered) queues CLOSE_SESSION with the next xid, 0 for a client that never sent a request, and lets the
// reconnect already under way go on. The ConnectResponse that reconnect gets is then read as a reply header:
// its protocol version (0) as the xid, which matches the queued close, and the low half of the new session id
// as the error code, which the library turns into a thrown "Unknown code" out of its socket handler (an
// uncaught exception in the test process, seen after a test gave up on a member that served again later).
// With the queued close dropped, that response is an unexpected reply, on which the client hangs up for good.

/** The part of node-zookeeper-client's Client this uses; its connection manager is private to the library. */
export interface NodeZkClientLike {
  close(): void;
  getState(): { name: string };
}

interface WithConnectionManager {
  connectionManager?: { pendingQueue?: unknown[] };
}

const CONNECTED_STATES = new Set(['SYNC_CONNECTED', 'CONNECTED_READ_ONLY']);

/** close(), and when the client has no live session to send CLOSE_SESSION on, forget the close it queued. */
export function closeNodeZkClient(client: NodeZkClientLike): void {
  const connected = CONNECTED_STATES.has(client.getState().name);
  client.close();
  if (!connected) (client as WithConnectionManager).connectionManager?.pendingQueue?.splice(0);
}
