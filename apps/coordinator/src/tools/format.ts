// Readable forms of what storage holds, for operators: one line per txn (like ZooKeeper's TxnLogToolkit)
// and one block per znode (like its SnapshotFormatter).
import type { DataTree, Txn, TxnHeader, ZNodeView } from '@zk/datatree';
import { errorName, type Acl } from '@zk/wire';

const PREVIEW_BYTES = 48;

export function hex(value: bigint): string {
  return '0x' + BigInt.asUintN(64, value).toString(16);
}

export function dataPreview(data: Uint8Array): string {
  if (data.length === 0) return '0B';
  const head = data.subarray(0, PREVIEW_BYTES);
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head);
  const printable = /^[\x20-\x7e]*$/.test(text);
  const shown = printable ? JSON.stringify(text) : '0x' + Buffer.from(head).toString('hex');
  return `${data.length}B ${shown}${data.length > PREVIEW_BYTES ? '…' : ''}`;
}

export function aclText(acl: readonly Acl[]): string {
  return acl.map((a) => `${a.id.scheme}:${a.id.id}:${permsText(a.perms)}`).join(',');
}

function permsText(perms: number): string {
  return ['r', 'w', 'c', 'd', 'a'].filter((_, bit) => perms & (1 << bit)).join('') || '-';
}

export function describeTxn(txn: Txn): string {
  switch (txn.type) {
    case 'create':
      return `create ${txn.path} ${txn.kind}${txn.ttlMs === undefined ? '' : ` ttl=${txn.ttlMs}ms`} data=${dataPreview(txn.data)} acl=${aclText(txn.acl)} parentCversion=${txn.parentCversion}`;
    case 'delete':
      return `delete ${txn.path}`;
    case 'setData':
      return `setData ${txn.path} version=${txn.version} data=${dataPreview(txn.data)}`;
    case 'setAcl':
      return `setAcl ${txn.path} version=${txn.version} acl=${aclText(txn.acl)}`;
    case 'check':
      return `check ${txn.path} version=${txn.version}`;
    case 'error':
      return `error ${txn.err} (${errorName(txn.err)})`;
    case 'multi':
      return `multi [${txn.txns.map(describeTxn).join('; ')}]`;
    case 'createSession':
      return `createSession timeout=${txn.timeoutMs}ms`;
    case 'closeSession':
      return `closeSession${txn.paths.length > 0 ? ` ephemerals=${txn.paths.join(',')}` : ''}`;
    default: {
      const unknown: never = txn;
      return `unknown ${JSON.stringify(unknown)}`;
    }
  }
}

export function describeRecord(header: TxnHeader, txn: Txn): string {
  return `${hex(header.zxid)} ${new Date(header.timeMs).toISOString()} session=${hex(header.sessionId)} cxid=${header.cxid} ${describeTxn(txn)}`;
}

/** SnapshotFormatter's layout: every znode in pre-order with its stat, then the sessions. */
export function* formatTree(tree: DataTree, withData: boolean): Generator<string> {
  const stack = ['/'];
  while (stack.length > 0) {
    const path = stack.pop() as string;
    const node = tree.getNode(path) as ZNodeView;
    yield path;
    const s = node.stat;
    yield `  cZxid = ${hex(s.czxid)}`;
    yield `  ctime = ${new Date(Number(s.ctime)).toISOString()}`;
    yield `  mZxid = ${hex(s.mzxid)}`;
    yield `  mtime = ${new Date(Number(s.mtime)).toISOString()}`;
    yield `  pZxid = ${hex(s.pzxid)}`;
    yield `  cversion = ${s.cversion}`;
    yield `  dataVersion = ${s.version}`;
    yield `  aclVersion = ${s.aversion}`;
    yield `  ephemeralOwner = ${hex(s.ephemeralOwner)}`;
    yield `  dataLength = ${s.dataLength}`;
    yield `  kind = ${node.kind}${node.ttlMs === undefined ? '' : ` ttl=${node.ttlMs}ms`}`;
    yield `  acl = ${aclText(node.acl)}`;
    if (withData) yield `  data = ${dataPreview(node.data)}`;
    const prefix = path === '/' ? '/' : path + '/';
    for (const child of tree.getChildren(path).reverse()) stack.push(prefix + child);
  }
  yield `Sessions (${tree.sessions().size}):`;
  for (const [sessionId, timeoutMs] of tree.sessions()) {
    const ephemerals = tree.ephemeralsOf(sessionId);
    yield `  ${hex(sessionId)} timeout=${timeoutMs}ms ephemerals=${ephemerals.length}`;
  }
}
