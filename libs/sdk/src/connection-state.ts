// The connection's state machine, pure: a state, an input, the next state and the events to emit.
// Only the transitions written here exist; anything else is a bug and throws.

/**
 * connecting: no session yet. connectedReadOnly: connected to a server cut off from its quorum (canBeReadOnly): reads
 * work, writes fail with NotReadOnlyError, and the client looks for a read-write server in the background.
 * suspended: the connection is lost but the session may live. Terminal: closed, authFailed.
 */
export type ConnectionState = 'connecting' | 'connected' | 'connectedReadOnly' | 'suspended' | 'expired' | 'closed' | 'authFailed';

export type StateInput =
  /** A ConnectResponse with a live session arrived (from a read-write server). */
  | 'handshakeDone'
  /** A ConnectResponse with readOnly set: a read-only server took the session. */
  | 'handshakeDoneReadOnly'
  /** A read-write server gave a new session to a client whose only session so far was a read-only server's (local) one. */
  | 'handshakeDoneNewSession'
  /** The transport closed, a read timed out, or a connect attempt failed. */
  | 'connectionLost'
  /** A ConnectResponse with timeOut 0, or a request answered sessionExpired. */
  | 'sessionExpired'
  /** After expiry, start over with a new session (the client's renewal policy). */
  | 'renewSession'
  | 'authFailed'
  | 'close';

/** What listeners hear: the new state's name, except that regaining a session is "reconnected". */
export type StateEvent = 'connecting' | 'connected' | 'connectedReadOnly' | 'suspended' | 'reconnected' | 'expired' | 'closed' | 'authFailed';

export interface Transition {
  state: ConnectionState;
  /** Empty when the input changes nothing listeners care about (e.g. another failed attempt while suspended). */
  event?: StateEvent;
}

export const TERMINAL_STATES: ReadonlySet<ConnectionState> = new Set(['closed', 'authFailed']);

export function transition(state: ConnectionState, input: StateInput): Transition {
  if (TERMINAL_STATES.has(state)) throw new Error(`connection state ${state} is terminal; got ${input}`);
  if (input === 'close') return { state: 'closed', event: 'closed' };
  if (input === 'authFailed') return { state: 'authFailed', event: 'authFailed' };
  switch (state) {
    case 'connecting':
      if (input === 'handshakeDone' || input === 'handshakeDoneNewSession') return { state: 'connected', event: 'connected' };
      if (input === 'handshakeDoneReadOnly') return { state: 'connectedReadOnly', event: 'connectedReadOnly' };
      if (input === 'connectionLost') return { state: 'connecting' };
      if (input === 'sessionExpired') return { state: 'expired', event: 'expired' };
      break;
    case 'connected':
      if (input === 'connectionLost') return { state: 'suspended', event: 'suspended' };
      if (input === 'sessionExpired') return { state: 'expired', event: 'expired' };
      break;
    case 'connectedReadOnly':
      if (input === 'connectionLost') return { state: 'suspended', event: 'suspended' };
      if (input === 'sessionExpired') return { state: 'expired', event: 'expired' };
      break;
    case 'suspended':
      if (input === 'handshakeDone') return { state: 'connected', event: 'reconnected' };
      if (input === 'handshakeDoneNewSession') return { state: 'connected', event: 'connected' };
      if (input === 'handshakeDoneReadOnly') return { state: 'connectedReadOnly', event: 'connectedReadOnly' };
      if (input === 'connectionLost') return { state: 'suspended' };
      if (input === 'sessionExpired') return { state: 'expired', event: 'expired' };
      break;
    case 'expired':
      if (input === 'renewSession') return { state: 'connecting', event: 'connecting' };
      if (input === 'connectionLost' || input === 'sessionExpired') return { state: 'expired' };
      break;
  }
  throw new Error(`no transition from ${state} on ${input}`);
}
