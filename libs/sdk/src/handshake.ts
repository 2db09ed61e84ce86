// One connection attempt: open a transport to a host, send the ConnectRequest, wait (bounded, abortable)
// for the ConnectResponse. Frames that arrive behind the response are held until the session opens the
// connection, so nothing is read before the session is ready for it.
import { decodeConnectResponse, encodeConnectRequest, type ConnectRequest, type ConnectResponse } from '@zk/wire';
import type { HostAddress } from './connect-string';
import { unrefTimer } from './heartbeat';
import type { Transport, TransportConnection, TransportHandlers } from './transport';

export interface Handshake {
  connection: TransportConnection;
  response: ConnectResponse;
  /** Starts delivering frames (first the ones held back) and the close to `handlers`. */
  open(handlers: TransportHandlers): void;
}

export interface Attempt {
  /** The handshake, or undefined if the host was unreachable, silent, closed, sent garbage, or the attempt was aborted. */
  readonly result: Promise<Handshake | undefined>;
  abort(): void;
}

export function attemptHandshake(transport: Transport, host: HostAddress, request: ConnectRequest, timeoutMs: number): Attempt {
  let aborted = false;
  let connection: TransportConnection | undefined;
  let settle: (body: Uint8Array | undefined) => void = () => undefined;
  const firstFrame = new Promise<Uint8Array | undefined>((resolve) => {
    settle = resolve;
  });
  let gotFirst = false;
  const heldFrames: Uint8Array[] = [];
  let heldClose: { error?: Error } | undefined;
  let opened: TransportHandlers | undefined;

  const handlers: TransportHandlers = {
    onFrame(body) {
      if (opened !== undefined) opened.onFrame(body);
      else if (!gotFirst) {
        gotFirst = true;
        settle(body);
      } else heldFrames.push(body);
    },
    onClose(error) {
      if (opened !== undefined) opened.onClose(error);
      else {
        heldClose = { error };
        settle(undefined);
      }
    },
  };

  const run = async (): Promise<Handshake | undefined> => {
    try {
      connection = await transport.connect(host, handlers, timeoutMs);
    } catch {
      return undefined;
    }
    const fail = (): undefined => {
      connection?.close();
      return undefined;
    };
    if (aborted) return fail();
    connection.send(encodeConnectRequest(request));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const body = await Promise.race([
      firstFrame,
      new Promise<undefined>((resolve) => {
        timer = unrefTimer(setTimeout(() => resolve(undefined), timeoutMs));
      }),
    ]);
    clearTimeout(timer);
    if (body === undefined || aborted) return fail();
    let response: ConnectResponse;
    try {
      response = decodeConnectResponse(body);
    } catch {
      return fail();
    }
    const live = connection;
    return {
      connection: live,
      response,
      open(next) {
        opened = next;
        for (const frame of heldFrames.splice(0)) next.onFrame(frame);
        if (heldClose !== undefined) next.onClose(heldClose.error);
      },
    };
  };

  return {
    result: run(),
    abort() {
      aborted = true;
      connection?.close();
      settle(undefined);
    },
  };
}
