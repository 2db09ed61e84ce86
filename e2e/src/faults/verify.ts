// The invariants checked once a scenario has healed: every member converges on one zxid and one tree digest,
// every acknowledged create is on every member, sequential names are unique and follow real time, the
// ephemerals of ended sessions are gone everywhere, and the register history is linearizable.
// Each check returns violations as sentences (empty: it held), so a run reports all of them at once.
import type * as zookeeper from 'node-zookeeper-client';
import { checkHistory, formatFailure, type CheckResult, type RegisterOp } from '../linearizability';
import type { EnsembleMember, RealEnsemble } from '../support/ensemble';
import { fourLetterWord } from '../support/four-letter';
import { sleep } from '../support/wait';
import type { AckedCreate, SessionRecord } from './workload';
import { getChildren, openSession, syncPath } from './zk-ops';

const CALL_TIMEOUT_MS = 5_000;

export interface MemberState {
  id: number;
  zxid?: string;
  digest?: string;
}

async function mntr(member: EnsembleMember): Promise<MemberState> {
  const text = member.state === 'running' ? await fourLetterWord(member.clientPort, 'mntr', 1_000).catch(() => '') : '';
  const field = (name: string): string | undefined => new RegExp(`^${name}\\t(\\S+)`, 'm').exec(text)?.[1];
  return { id: member.id, zxid: field('zk_last_zxid'), digest: field('zk_digest') };
}

function describeStates(states: readonly MemberState[]): string {
  return states.map((s) => `${s.id}: zxid ${s.zxid ?? '?'} digest ${s.digest ?? '?'}`).join('; ');
}

/**
 * Waits until every member reports the same last zxid, then compares their tree digests (a member that has
 * applied the same txns must hold the same tree). Two equal-zxid polls with different digests are a violation.
 */
export async function checkConvergence(ensemble: RealEnsemble, timeoutMs: number): Promise<{ violations: string[]; states: MemberState[] }> {
  const deadline = Date.now() + timeoutMs;
  let mismatches = 0;
  let states: MemberState[] = [];
  for (;;) {
    states = await Promise.all(ensemble.members.map(mntr));
    const zxids = new Set(states.map((s) => s.zxid));
    if (!zxids.has(undefined) && zxids.size === 1) {
      const digests = new Set(states.map((s) => s.digest));
      if (digests.size === 1 && !digests.has(undefined)) return { violations: [], states };
      mismatches += 1;
      if (mismatches >= 2) return { violations: [`members at the same zxid hold different trees: ${describeStates(states)}`], states };
    }
    if (Date.now() >= deadline) return { violations: [`members did not reach one zxid within ${timeoutMs} ms: ${describeStates(states)}`], states };
    await sleep(150);
  }
}

/** One session per member, connected to it alone: what each member serves after the heal. */
export async function withMemberClients<T>(ensemble: RealEnsemble, use: (clients: Array<{ id: number; client: zookeeper.Client }>) => Promise<T>): Promise<T> {
  const clients: Array<{ id: number; client: zookeeper.Client }> = [];
  try {
    for (const member of ensemble.members) clients.push({ id: member.id, client: await openSession(member.connectString, 4_000, 10_000) });
    return await use(clients);
  } finally {
    for (const { client } of clients) client.close();
  }
}

/** The children of `path` on one member after a sync (so the member has caught up with the leader). */
export async function childrenAfterSync(client: zookeeper.Client, path: string): Promise<Set<string>> {
  await syncPath(client, path, CALL_TIMEOUT_MS);
  return new Set(await getChildren(client, path, CALL_TIMEOUT_MS));
}

/** Every acknowledged create is present on every member. */
export async function checkAcknowledgedCreates(clients: Array<{ id: number; client: zookeeper.Client }>, seqPath: string, acked: readonly AckedCreate[]): Promise<string[]> {
  const violations: string[] = [];
  for (const { id, client } of clients) {
    const children = await childrenAfterSync(client, seqPath);
    const missing = acked.filter((a) => !children.has(a.path.slice(seqPath.length + 1)));
    if (missing.length > 0) {
      violations.push(`member ${id} lacks ${missing.length} acknowledged create(s): ${missing.slice(0, 5).map((m) => `${m.path} (by ${m.clientId}, acked at ${m.completeMs} ms)`).join(', ')}`);
    }
  }
  return violations;
}

/**
 * Sequential names: no two acknowledged creates got the same name, and a create acknowledged before another
 * was invoked got a smaller sequence number (the parent's cversion only grows, in zxid order).
 */
export function checkSequentialNames(acked: readonly AckedCreate[]): string[] {
  const violations: string[] = [];
  const byPath = new Map<string, AckedCreate>();
  for (const create of acked) {
    const earlier = byPath.get(create.path);
    if (earlier) violations.push(`${create.path} acknowledged twice: to ${earlier.clientId} and to ${create.clientId}`);
    byPath.set(create.path, create);
  }
  // Sweep by invocation time, holding the creates completed before it; the largest of their numbers must be smaller.
  const byInvoke = [...acked].sort((a, b) => a.invokeMs - b.invokeMs);
  const byComplete = [...acked].sort((a, b) => a.completeMs - b.completeMs);
  let completedIndex = 0;
  let maxCompleted: AckedCreate | undefined;
  for (const create of byInvoke) {
    while (completedIndex < byComplete.length && byComplete[completedIndex].completeMs < create.invokeMs) {
      const done = byComplete[completedIndex++];
      if (!maxCompleted || done.sequence > maxCompleted.sequence) maxCompleted = done;
    }
    if (maxCompleted && maxCompleted.sequence >= create.sequence && violations.length < 10) {
      violations.push(
        `sequence order: ${create.path} (by ${create.clientId}, invoked at ${create.invokeMs} ms) is not after ${maxCompleted.path} (by ${maxCompleted.clientId}, acknowledged at ${maxCompleted.completeMs} ms)`,
      );
    }
  }
  return violations;
}

/** Ephemerals of sessions that ended (expired, given up or closed) are gone on every member; live ones present. */
export async function checkEphemerals(
  clients: Array<{ id: number; client: zookeeper.Client }>,
  ephPath: string,
  sessions: readonly SessionRecord[],
  options: { settleMs: number },
): Promise<string[]> {
  const deadline = Date.now() + options.settleMs;
  for (;;) {
    const violations: string[] = [];
    for (const { id, client } of clients) {
      const present = await childrenAfterSync(client, ephPath);
      for (const session of sessions) {
        const name = session.ephemeralPath.slice(ephPath.length + 1);
        if (session.end !== 'live' && present.has(name)) violations.push(`member ${id} still has ${session.ephemeralPath} of ${session.end} session ${session.sessionId}`);
        if (session.end === 'live' && session.ephemeral === 'created' && !present.has(name)) violations.push(`member ${id} lacks ${session.ephemeralPath} of live session ${session.sessionId}`);
      }
      const known = new Set(sessions.map((s) => s.ephemeralPath.slice(ephPath.length + 1)));
      for (const name of present) if (!known.has(name)) violations.push(`member ${id} has an ephemeral no session of this run made: ${ephPath}/${name}`);
    }
    // A session given up while cut off expires up to one timeout after a leader last heard of it, and a client
    // may be told of its session's expiry only when it reconnects: wait for those, nothing else.
    const waitable = violations.length > 0 && violations.every((v) => / (abandoned|closed|live) session /.test(v));
    if (violations.length === 0 || !waitable || Date.now() >= deadline) return violations;
    await sleep(200);
  }
}

export interface LinearizabilityOutcome {
  result: CheckResult;
  violations: string[];
}

export function checkLinearizable(history: readonly RegisterOp[]): LinearizabilityOutcome {
  const result = checkHistory(history);
  if (result.verdict === 'not-linearizable') return { result, violations: [formatFailure(result)] };
  return { result, violations: [] };
}
