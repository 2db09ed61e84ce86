// The part of node-zookeeper-client 1.1.3 (plain JavaScript, no types of its own) that the e2e suite uses.
declare module 'node-zookeeper-client' {
  import { EventEmitter } from 'node:events';

  export class Id {
    constructor(scheme: string, id: string);
    scheme: string;
    id: string;
  }
  export class ACL {
    constructor(permission: number, id: Id);
    permission: number;
    id: Id;
    static OPEN_ACL_UNSAFE: ACL[];
    static CREATOR_ALL_ACL: ACL[];
    static READ_ACL_UNSAFE: ACL[];
  }
  export const Permission: { READ: 1; WRITE: 2; CREATE: 4; DELETE: 8; ADMIN: 16; ALL: 31 };
  export const CreateMode: { PERSISTENT: 0; EPHEMERAL: 1; PERSISTENT_SEQUENTIAL: 2; EPHEMERAL_SEQUENTIAL: 3 };

  /** jute longs come back as 8-byte big-endian Buffers. */
  export interface Stat {
    czxid: Buffer;
    mzxid: Buffer;
    ctime: Buffer;
    mtime: Buffer;
    version: number;
    cversion: number;
    aversion: number;
    ephemeralOwner: Buffer;
    dataLength: number;
    numChildren: number;
    pzxid: Buffer;
  }

  export class Event {
    type: number;
    name: string;
    path: string;
    getType(): number;
    getName(): string;
    getPath(): string;
  }

  export class Exception extends Error {
    code: number;
    name: string;
    path?: string;
    getCode(): number;
    getName(): string;
  }

  export class State {
    name: string;
    code: number;
    getName(): string;
    getCode(): number;
    static DISCONNECTED: State;
    static SYNC_CONNECTED: State;
    static AUTH_FAILED: State;
    static EXPIRED: State;
  }

  export interface TransactionResult {
    type: number;
    path?: string;
    stat?: Stat;
    err?: number;
  }

  export class Transaction {
    create(path: string, data?: Buffer | null, acls?: ACL[], mode?: number): Transaction;
    create(path: string, data: Buffer | null, mode: number): Transaction;
    check(path: string, version?: number): Transaction;
    setData(path: string, data: Buffer | null, version?: number): Transaction;
    remove(path: string, version?: number): Transaction;
    commit(callback: (error: Exception | Error | null, results: TransactionResult[]) => void): void;
  }

  type Watcher = (event: Event) => void;

  export class Client extends EventEmitter {
    connect(): void;
    close(): void;
    getState(): State;
    getSessionId(): Buffer;
    getSessionPassword(): Buffer;
    getSessionTimeout(): number;
    addAuthInfo(scheme: string, auth: Buffer): void;
    create(
      path: string,
      data: Buffer | null | undefined,
      acls: ACL[],
      mode: number,
      callback: (error: Exception | Error | null, path: string) => void,
    ): void;
    remove(path: string, version: number, callback: (error: Exception | Error | null) => void): void;
    exists(path: string, watcher: Watcher | undefined, callback: (error: Exception | Error | null, stat: Stat | null) => void): void;
    getData(
      path: string,
      watcher: Watcher | undefined,
      callback: (error: Exception | Error | null, data: Buffer | undefined, stat: Stat) => void,
    ): void;
    setData(path: string, data: Buffer | null, version: number, callback: (error: Exception | Error | null, stat: Stat) => void): void;
    getACL(path: string, callback: (error: Exception | Error | null, acls: ACL[], stat: Stat) => void): void;
    setACL(path: string, acls: ACL[], version: number, callback: (error: Exception | Error | null, stat: Stat) => void): void;
    getChildren(
      path: string,
      watcher: Watcher | undefined,
      callback: (error: Exception | Error | null, children: string[], stat: Stat) => void,
    ): void;
    transaction(): Transaction;
  }

  export function createClient(connectionString: string, options?: { sessionTimeout?: number; spinDelay?: number; retries?: number }): Client;
}
