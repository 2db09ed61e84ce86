// The sequential specification of one znode seen as a register: what each operation, applied at one
// instant, requires of the state and turns it into. The search (wgl-search.ts) knows nothing else of it.

import { assertNever } from './assert';
import type { SequentialModel } from './wgl-search';
import type { RegisterState } from './types';

/**
 * An operation as the model sees it, its recorded result folded in. An operation whose effect is unknown
 * becomes a write or cas without `versionAfter`; whether it happens at all is the search's choice.
 */
export type RegisterAction =
  | { readonly kind: 'write'; readonly value: string; readonly versionAfter?: number }
  | { readonly kind: 'cas'; readonly value: string; readonly expectedVersion: number; readonly versionAfter?: number }
  | { readonly kind: 'cas-rejected'; readonly expectedVersion: number }
  | { readonly kind: 'read'; readonly value: string; readonly version: number };

function written(state: RegisterState, value: string, versionAfter: number | undefined): RegisterState | undefined {
  const next = { value, version: state.version + 1 };
  // A reported version that is not the next one means this write cannot be linearized here.
  if (versionAfter !== undefined && versionAfter !== next.version) return undefined;
  return next;
}

export function stepRegister(state: RegisterState, action: RegisterAction): RegisterState | undefined {
  switch (action.kind) {
    case 'write':
      return written(state, action.value, action.versionAfter);
    case 'cas':
      return state.version === action.expectedVersion ? written(state, action.value, action.versionAfter) : undefined;
    case 'cas-rejected':
      // BadVersion is only possible where the version differs; the register is left as it was.
      return state.version === action.expectedVersion ? undefined : state;
    case 'read':
      return state.value === action.value && state.version === action.version ? state : undefined;
    default:
      return assertNever(action, 'register action');
  }
}

export const registerModel: SequentialModel<RegisterState, RegisterAction> = {
  step: stepRegister,
  // JSON keeps values containing any character apart, so two states share a key only if they are equal.
  stateKey: (state) => JSON.stringify([state.version, state.value]),
};

export function formatState(state: RegisterState): string {
  return `${JSON.stringify(state.value)}@v${state.version}`;
}
