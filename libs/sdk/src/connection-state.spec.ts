import { describe, expect, it } from 'vitest';
import { transition, type ConnectionState, type StateInput } from './connection-state';

describe('connection state machine', () => {
  it.each([
    ['connecting', 'handshakeDone', 'connected', 'connected'],
    ['connecting', 'connectionLost', 'connecting', undefined],
    ['connecting', 'sessionExpired', 'expired', 'expired'],
    ['connected', 'connectionLost', 'suspended', 'suspended'],
    ['connected', 'sessionExpired', 'expired', 'expired'],
    ['suspended', 'connectionLost', 'suspended', undefined],
    ['suspended', 'handshakeDone', 'connected', 'reconnected'],
    ['suspended', 'sessionExpired', 'expired', 'expired'],
    ['expired', 'renewSession', 'connecting', 'connecting'],
    ['connecting', 'handshakeDoneReadOnly', 'connectedReadOnly', 'connectedReadOnly'],
    ['connectedReadOnly', 'connectionLost', 'suspended', 'suspended'],
    ['connectedReadOnly', 'sessionExpired', 'expired', 'expired'],
    ['suspended', 'handshakeDoneReadOnly', 'connectedReadOnly', 'connectedReadOnly'],
    ['suspended', 'handshakeDoneNewSession', 'connected', 'connected'],
    ['connected', 'authFailed', 'authFailed', 'authFailed'],
    ['suspended', 'close', 'closed', 'closed'],
    ['expired', 'close', 'closed', 'closed'],
  ] as [ConnectionState, StateInput, ConnectionState, string | undefined][])('%s + %s → %s (event %s)', (from, input, to, event) => {
    expect(transition(from, input)).toEqual(event === undefined ? { state: to } : { state: to, event });
  });

  it.each([
    ['connected', 'handshakeDone'],
    ['connected', 'renewSession'],
    ['expired', 'handshakeDone'],
    ['connectedReadOnly', 'handshakeDone'],
    ['closed', 'close'],
    ['authFailed', 'connectionLost'],
  ] as [ConnectionState, StateInput][])('refuses %s + %s', (from, input) => {
    expect(() => transition(from, input)).toThrow();
  });
});
