// One shared, frozen list per distinct ACL, counted by the nodes that hold it (ZooKeeper's
// ReferenceCountedACLCache): almost every node has the same ACL, and a list of its own costs ~136 B.
import type { Acl } from '@zk/wire';
import { assert } from './assert';
import { OPEN_ACL_UNSAFE, READ_ACL_UNSAFE } from './acl';

interface CachedAcl {
  readonly acl: readonly Acl[];
  /** The nodes holding it; the entry goes when the last one lets go, so unique ACLs cannot pile up. */
  nodes: number;
}

/** The constants are the lists nodes get for those ACLs, so that they cost nothing at all. */
const WELL_KNOWN = new Map<string, readonly Acl[]>([OPEN_ACL_UNSAFE, READ_ACL_UNSAFE].map((acl) => [keyOf(acl), acl]));

export class AclCache {
  private readonly byKey = new Map<string, CachedAcl>();
  /** The entry held last: most nodes share one ACL, and comparing with it needs no key (loading 1,000,000 nodes built 1,000,000 keys). */
  private last: { key: string; cached: CachedAcl } | undefined;

  /** The number of distinct ACLs nodes hold. */
  get size(): number {
    return this.byKey.size;
  }

  /** The shared frozen list equal to `acl` (same entries, same order), held once more. Release it when done. */
  hold(acl: readonly Acl[]): readonly Acl[] {
    const last = this.last;
    if (last !== undefined && last.cached.nodes > 0 && sameAcl(acl, last.cached.acl)) {
      last.cached.nodes++;
      return last.cached.acl;
    }
    const key = keyOf(acl);
    let cached = this.byKey.get(key);
    if (cached === undefined) {
      cached = { acl: WELL_KNOWN.get(key) ?? freezeAcl(acl), nodes: 0 };
      this.byKey.set(key, cached);
    }
    cached.nodes++;
    this.last = { key, cached };
    return cached.acl;
  }

  /** Lets go of a list `hold` returned. */
  release(acl: readonly Acl[]): void {
    const last = this.last;
    const key = last !== undefined && last.cached.acl === acl ? last.key : keyOf(acl);
    const cached = this.byKey.get(key);
    assert(cached !== undefined && cached.acl === acl, `release of an ACL not held: ${key}`);
    cached.nodes--;
    if (cached.nodes === 0) {
      this.byKey.delete(key);
      if (last?.cached === cached) this.last = undefined;
    }
  }
}

/** A deep, frozen copy: the caller's objects may be reused or changed after the txn is applied. */
function freezeAcl(acl: readonly Acl[]): readonly Acl[] {
  return Object.freeze(acl.map((a) => Object.freeze({ perms: a.perms, id: Object.freeze({ scheme: a.id.scheme, id: a.id.id }) })));
}

function sameAcl(a: readonly Acl[], b: readonly Acl[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as Acl;
    const y = b[i] as Acl;
    if (x.perms !== y.perms || x.id.scheme !== y.id.scheme || x.id.id !== y.id.id) return false;
  }
  return true;
}

/** Unambiguous for any strings: each one is preceded by its length. Order and duplicates count, as in the stored list. */
function keyOf(acl: readonly Acl[]): string {
  let key = '';
  for (const { perms, id } of acl) key += `${perms} ${id.scheme.length}:${id.scheme}${id.id.length}:${id.id};`;
  return key;
}
