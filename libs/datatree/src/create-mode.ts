// CreateMode.fromFlag, and how a multi's create ops are re-typed by their flags on the server
// (MultiOperationRecord.deserialize + Op.create): TTL flags → createTTL, container flag → createContainer.
import type { CreateRequest, MultiOp } from '@zk/wire';

export interface CreateMode {
  readonly flag: number;
  readonly ephemeral: boolean;
  readonly sequential: boolean;
  readonly container: boolean;
  readonly ttl: boolean;
}

const modes: readonly CreateMode[] = [
  { flag: 0, ephemeral: false, sequential: false, container: false, ttl: false },
  { flag: 1, ephemeral: true, sequential: false, container: false, ttl: false },
  { flag: 2, ephemeral: false, sequential: true, container: false, ttl: false },
  { flag: 3, ephemeral: true, sequential: true, container: false, ttl: false },
  { flag: 4, ephemeral: false, sequential: false, container: true, ttl: false },
  { flag: 5, ephemeral: false, sequential: false, container: false, ttl: true },
  { flag: 6, ephemeral: false, sequential: true, container: false, ttl: true },
];

/** undefined for a flag ZooKeeper does not know (it answers BADARGUMENTS). */
export function createModeFromFlag(flag: number): CreateMode | undefined {
  return Number.isInteger(flag) && flag >= 0 && flag < modes.length ? modes[flag] : undefined;
}

/**
 * A multi's op as the server sees it after deserializing, or undefined where that fails
 * (the whole multi then answers MARSHALLINGERROR): deleteContainer, or a create (1/15/19)
 * with an unknown flag. A createTTL whose flags are not a TTL mode becomes a plain create
 * without a ttl; create/create2/createContainer with TTL flags become createTTL with no ttl.
 */
export function normalizeMultiOp(op: MultiOp): MultiOp | undefined {
  switch (op.op) {
    case 1:
    case 15:
    case 19: {
      const mode = createModeFromFlag(op.flags);
      if (mode === undefined) return undefined;
      // ZooKeeper rebuilds multi creates from their flags alone (Op.create), so create2 answers like create.
      return withCreateOp(op, mode.ttl ? 21 : mode.container ? 19 : 1);
    }
    case 21: {
      const mode = createModeFromFlag(op.flags) ?? modes[0];
      if (mode.ttl) return op;
      return withCreateOp(op, mode.container ? 19 : 1);
    }
    case 2:
    case 5:
    case 13:
      return op;
    default:
      return undefined;
  }
}

function withCreateOp(op: CreateRequest, type: 1 | 15 | 19 | 21): CreateRequest {
  const { ttl: _ttl, ...rest } = op;
  return { ...rest, op: type };
}
