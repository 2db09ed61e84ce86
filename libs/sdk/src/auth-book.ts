// The session's credentials: every addAuth is kept and re-sent on each new connection, and each auth packet's
// reply (xid -4, answered in order) settles the caller that is waiting for it, if any.
import type { ZooKeeperError } from './errors';

interface Waiter {
  resolve?: () => void;
  reject?: (error: ZooKeeperError) => void;
}

export interface AuthInfo {
  scheme: string;
  auth: Uint8Array;
}

export class AuthBook {
  private readonly infos: AuthInfo[] = [];
  /** One entry per auth packet on the live connection, in send order; replays carry no callbacks. */
  private readonly inFlight: Waiter[] = [];
  /** addAuth calls made while disconnected: settled by the next connection's replies. */
  private readonly waitingForConnection: Waiter[] = [];

  /** Records credentials; `sentNow` says whether the packet goes out on the live connection right away. */
  add(info: AuthInfo, sentNow: boolean): Promise<void> {
    this.infos.push(info);
    return new Promise((resolve, reject) => {
      (sentNow ? this.inFlight : this.waitingForConnection).push({ resolve, reject });
    });
  }

  /** A new connection: returns every credential to send, in order, and lines up their replies. */
  replay(): AuthInfo[] {
    const fresh = this.waitingForConnection.splice(0);
    this.inFlight.length = 0;
    for (let i = 0; i < this.infos.length - fresh.length; i++) this.inFlight.push({});
    this.inFlight.push(...fresh);
    return [...this.infos];
  }

  /** The next auth reply: ok resolves its caller, an error rejects it. */
  replied(error: ZooKeeperError | undefined): void {
    const waiter = this.inFlight.shift();
    if (error === undefined) waiter?.resolve?.();
    else waiter?.reject?.(error);
  }

  /** The connection is gone: callers whose packet was in flight fail (the credentials are still replayed). */
  failInFlight(makeError: () => ZooKeeperError): void {
    for (const waiter of this.inFlight.splice(0)) waiter.reject?.(makeError());
  }

  /** The session is over: every waiting caller fails. */
  failAll(makeError: () => ZooKeeperError): void {
    this.failInFlight(makeError);
    for (const waiter of this.waitingForConnection.splice(0)) waiter.reject?.(makeError());
  }
}
