// The config center over the tree: values with optimistic concurrency (znode versions), validation by content
// type, a history of the last HISTORY_KEPT revisions, rollback (a new revision with an old value), gray releases
// to listed targets, and export/import of a namespace. Each write is one multi: the value and its history entry.
import { Inject, Injectable } from '@nestjs/common';
import { BadVersionError, NodeExistsError, NoNodeError } from '@zk/sdk';
import { CONFIG_ROOT } from '@zk/recipes';
import { badRequest, notFound, versionConflict } from '../shared/http-errors';
import { checkName } from '../shared/names';
import { platformPaths } from '../shared/platform-paths';
import { PlatformZk } from '../shared/platform-zk';
import { decodeEnvelope, historyName, revisionOfHistoryName, type ConfigEnvelope, type ConfigValue, type GrayRelease, type HistoryEntry } from './config-records';
import { parseError, type ContentType } from './content-types';
import { unifiedDiff } from './unified-diff';

export const HISTORY_KEPT = 50;
const WRITE_ATTEMPTS = 5;

export interface KeyRef {
  namespace: string;
  group: string;
  key: string;
}

export interface WriteResult {
  value: ConfigValue;
  beforeVersion: number | null;
}

const keyPath = ({ namespace, group, key }: KeyRef): string => `${CONFIG_ROOT}/${namespace}/${group}/${key}`;

export function checkKey(ref: KeyRef): KeyRef {
  checkName('namespace', ref.namespace);
  checkName('group', ref.group);
  checkName('key', ref.key);
  return ref;
}

function checkValue(value: string, contentType: ContentType, what = 'value'): void {
  const error = parseError(value, contentType);
  if (error !== undefined) throw badRequest(`${what} is ${error}`);
}

@Injectable()
export class ConfigService {
  constructor(@Inject(PlatformZk) private readonly zk: PlatformZk) {}

  async namespaces(): Promise<Array<{ namespace: string; groups: number; keys: number }>> {
    await this.zk.sync();
    const result = [];
    for (const namespace of (await this.zk.children(CONFIG_ROOT)).sort()) {
      const groups = await this.zk.children(`${CONFIG_ROOT}/${namespace}`);
      let keys = 0;
      for (const group of groups) keys += (await this.zk.children(`${CONFIG_ROOT}/${namespace}/${group}`)).length;
      result.push({ namespace, groups: groups.length, keys });
    }
    return result;
  }

  async namespace(namespace: string): Promise<{ namespace: string; groups: Array<{ group: string; keys: Array<{ key: string; contentType: ContentType; version: number; modifiedAt: number; modifiedBy: string; gray: boolean }> }> }> {
    checkName('namespace', namespace);
    await this.zk.sync();
    if ((await this.zk.readText(`${CONFIG_ROOT}/${namespace}`)) === undefined) throw notFound(`no namespace ${namespace}`);
    const groups = [];
    for (const group of (await this.zk.children(`${CONFIG_ROOT}/${namespace}`)).sort()) {
      const keys = (await this.zk.children(`${CONFIG_ROOT}/${namespace}/${group}`)).sort();
      const reads = await this.zk.readMany(keys.map((key) => `${CONFIG_ROOT}/${namespace}/${group}/${key}`));
      groups.push({
        group,
        keys: reads.flatMap((read, i) => {
          if (!read) return [];
          const envelope = decodeEnvelope(read.text, read.stat);
          return [{ key: keys[i], contentType: envelope.contentType, version: read.stat.version, modifiedAt: envelope.modifiedAt, modifiedBy: envelope.modifiedBy, gray: envelope.gray !== undefined }];
        }),
      });
    }
    return { namespace, groups };
  }

  async get(ref: KeyRef): Promise<ConfigValue> {
    checkKey(ref);
    await this.zk.sync();
    const read = await this.zk.readText(keyPath(ref));
    if (!read) throw notFound(`no config key ${ref.namespace}/${ref.group}/${ref.key}`);
    return toValue(ref, decodeEnvelope(read.text, read.stat), read.stat.version);
  }

  /** Creates or updates the value (a new revision); `ifMatch` is the version the caller read. */
  async put(ref: KeyRef, change: { value: string; contentType: ContentType; comment?: string }, ifMatch: number | undefined, author: string): Promise<WriteResult> {
    checkKey(ref);
    checkValue(change.value, change.contentType);
    return this.write(ref, ifMatch, (current) => ({
      value: change.value,
      contentType: change.contentType,
      comment: change.comment ?? '',
      modifiedBy: author,
      gray: current?.gray,
    }), true);
  }

  async remove(ref: KeyRef, ifMatch: number | undefined): Promise<number> {
    checkKey(ref);
    const path = keyPath(ref);
    const read = await this.zk.readText(path);
    if (!read) throw notFound(`no config key ${ref.namespace}/${ref.group}/${ref.key}`);
    if (ifMatch !== undefined && ifMatch !== read.stat.version) throw versionConflict(`config key ${ref.key}`, read.stat.version);
    try {
      await this.zk.run((client) => client.delete(path, ifMatch ?? -1));
    } catch (error) {
      if (error instanceof BadVersionError) throw versionConflict(`config key ${ref.key}`, (await this.zk.readText(path))?.stat.version ?? null);
      if (error instanceof NoNodeError) throw notFound(`no config key ${ref.namespace}/${ref.group}/${ref.key}`);
      throw error;
    }
    await this.zk.run((client) => client.deleteRecursive(platformPaths.keyHistory(ref.namespace, ref.group, ref.key))).catch(() => undefined);
    return read.stat.version;
  }

  async history(ref: KeyRef): Promise<HistoryEntry[]> {
    checkKey(ref);
    await this.zk.sync();
    const folder = platformPaths.keyHistory(ref.namespace, ref.group, ref.key);
    const names = (await this.zk.children(folder)).filter((name) => revisionOfHistoryName(name) !== undefined).sort().reverse().slice(0, HISTORY_KEPT);
    if (names.length === 0 && (await this.zk.readText(keyPath(ref))) === undefined) throw notFound(`no config key ${ref.namespace}/${ref.group}/${ref.key}`);
    const reads = await this.zk.readMany(names.map((name) => `${folder}/${name}`));
    return reads.flatMap((read) => (read ? [JSON.parse(read.text) as HistoryEntry] : []));
  }

  async revision(ref: KeyRef, revision: number): Promise<HistoryEntry> {
    const read = await this.zk.readText(`${platformPaths.keyHistory(ref.namespace, ref.group, ref.key)}/${historyName(revision)}`);
    if (!read) throw notFound(`config key ${ref.namespace}/${ref.group}/${ref.key} has no revision ${revision} (the last ${HISTORY_KEPT} are kept)`);
    return JSON.parse(read.text) as HistoryEntry;
  }

  async diff(ref: KeyRef, from: number, to: number): Promise<{ from: number; to: number; unified: string }> {
    checkKey(ref);
    await this.zk.sync();
    const [a, b] = await Promise.all([this.revision(ref, from), this.revision(ref, to)]);
    return { from, to, unified: unifiedDiff(a.value, b.value, `${ref.key}@${from}`, `${ref.key}@${to}`) };
  }

  async rollback(ref: KeyRef, revision: number, comment: string | undefined, author: string): Promise<WriteResult> {
    checkKey(ref);
    await this.zk.sync();
    const old = await this.revision(ref, revision);
    return this.write(ref, undefined, (current) => ({
      value: old.value,
      contentType: old.contentType,
      comment: comment ?? `rollback to revision ${revision}`,
      modifiedBy: author,
      gray: current?.gray,
    }), true);
  }

  async putGray(ref: KeyRef, gray: GrayRelease, ifMatch: number | undefined): Promise<WriteResult> {
    checkKey(ref);
    checkValue(gray.value, gray.contentType, 'the gray value');
    const targets = [...new Set(gray.targets.map((t) => t.trim()).filter(Boolean))];
    if (targets.length === 0) throw badRequest('targets must name at least one instance id or host');
    return this.update(ref, ifMatch, (current) => ({ ...current, gray: { value: gray.value, contentType: gray.contentType, targets } }));
  }

  async promoteGray(ref: KeyRef, author: string): Promise<WriteResult> {
    checkKey(ref);
    return this.write(ref, undefined, (current) => {
      if (!current?.gray) throw notFound(`config key ${ref.key} has no gray release to promote`);
      return { value: current.gray.value, contentType: current.gray.contentType, comment: `promoted the gray release (targets ${current.gray.targets.join(', ')})`, modifiedBy: author, gray: undefined };
    }, false);
  }

  async deleteGray(ref: KeyRef): Promise<WriteResult> {
    checkKey(ref);
    return this.update(ref, undefined, (current) => {
      if (!current.gray) throw notFound(`config key ${ref.key} has no gray release`);
      const { gray: _gray, ...rest } = current;
      return rest;
    });
  }

  async export(namespace: string): Promise<{ namespace: string; exportedAt: number; items: Array<{ group: string; key: string; value: string; contentType: ContentType }> }> {
    const listing = await this.namespace(namespace);
    const items: Array<{ group: string; key: string; value: string; contentType: ContentType }> = [];
    for (const { group, keys } of listing.groups) {
      const reads = await this.zk.readMany(keys.map(({ key }) => keyPath({ namespace, group, key })));
      reads.forEach((read, i) => {
        if (!read) return;
        const envelope = decodeEnvelope(read.text, read.stat);
        items.push({ group, key: keys[i].key, value: envelope.value, contentType: envelope.contentType });
      });
    }
    return { namespace, exportedAt: Date.now(), items };
  }

  async import(namespace: string, items: Array<{ group: string; key: string; value: string; contentType: ContentType }>, overwrite: boolean, author: string): Promise<{ created: number; updated: number; skipped: number }> {
    checkName('namespace', namespace);
    // Everything is checked before anything is written.
    items.forEach((item, i) => {
      checkName(`items[${i}].group`, item.group);
      checkName(`items[${i}].key`, item.key);
      checkValue(item.value, item.contentType, `items[${i}].value`);
    });
    const counts = { created: 0, updated: 0, skipped: 0 };
    for (const item of items) {
      const ref = { namespace, group: item.group, key: item.key };
      const current = await this.zk.readText(keyPath(ref));
      if (current) {
        const envelope = decodeEnvelope(current.text, current.stat);
        if (!overwrite || (envelope.value === item.value && envelope.contentType === item.contentType)) {
          counts.skipped++;
          continue;
        }
      }
      await this.put(ref, { value: item.value, contentType: item.contentType, comment: 'import' }, undefined, author);
      counts[current ? 'updated' : 'created']++;
    }
    return counts;
  }

  /** A change of the envelope that is not a new revision of the value (gray releases). */
  private async update(ref: KeyRef, ifMatch: number | undefined, change: (current: ConfigEnvelope) => ConfigEnvelope): Promise<WriteResult> {
    const path = keyPath(ref);
    for (let attempt = 0; ; attempt++) {
      const read = await this.zk.readText(path);
      if (!read) throw notFound(`no config key ${ref.namespace}/${ref.group}/${ref.key}`);
      if (ifMatch !== undefined && ifMatch !== read.stat.version) throw versionConflict(`config key ${ref.key}`, read.stat.version);
      const next = change(decodeEnvelope(read.text, read.stat));
      try {
        const stat = await this.zk.run((client) => client.setData(path, JSON.stringify(next), read.stat.version));
        return { value: toValue(ref, next, stat.version), beforeVersion: read.stat.version };
      } catch (error) {
        if (!(error instanceof BadVersionError)) throw error;
        if (ifMatch !== undefined || attempt + 1 >= WRITE_ATTEMPTS) throw versionConflict(`config key ${ref.key}`, (await this.zk.readText(path))?.stat.version ?? null);
      }
    }
  }

  /** A new revision of the value, with its history entry, in one multi; retried on a concurrent writer unless `ifMatch`. */
  private async write(ref: KeyRef, ifMatch: number | undefined, next: (current: ConfigEnvelope | undefined) => Omit<ConfigEnvelope, 'revision' | 'modifiedAt'>, mayCreate: boolean): Promise<WriteResult> {
    const path = keyPath(ref);
    const historyFolder = platformPaths.keyHistory(ref.namespace, ref.group, ref.key);
    for (let attempt = 0; ; attempt++) {
      const read = await this.zk.readText(path);
      if (ifMatch !== undefined && ifMatch !== (read?.stat.version ?? -1)) throw versionConflict(`config key ${ref.key}`, read?.stat.version ?? null);
      const current = read ? decodeEnvelope(read.text, read.stat) : undefined;
      if (!read && !mayCreate) throw notFound(`no config key ${ref.namespace}/${ref.group}/${ref.key}`);
      const fields = next(current);
      let revision = (current?.revision ?? 0) + 1;
      if (!read) {
        await this.zk.ensurePath(`${CONFIG_ROOT}/${ref.namespace}/${ref.group}`);
        await this.zk.ensurePath(historyFolder);
        // A key deleted and created again continues its numbering after any history left behind.
        const left = (await this.zk.children(historyFolder)).map(revisionOfHistoryName).filter((r): r is number => r !== undefined);
        revision = Math.max(0, ...left) + 1;
      } else if (current?.revision === 0) {
        await this.zk.ensurePath(historyFolder);
      }
      const envelope: ConfigEnvelope = { value: fields.value, contentType: fields.contentType, revision, modifiedAt: Date.now(), modifiedBy: fields.modifiedBy, comment: fields.comment };
      if (fields.gray) envelope.gray = fields.gray;
      const version = read ? read.stat.version + 1 : 0;
      const entry: HistoryEntry = { revision, version, value: envelope.value, contentType: envelope.contentType, author: envelope.modifiedBy, at: envelope.modifiedAt, comment: envelope.comment };
      try {
        await this.zk.run((client) => {
          const txn = client.transaction();
          if (read) txn.setData(path, JSON.stringify(envelope), read.stat.version);
          else txn.create(path, JSON.stringify(envelope));
          txn.create(`${historyFolder}/${historyName(revision)}`, JSON.stringify(entry));
          return txn.commit();
        });
      } catch (error) {
        const raced = error instanceof BadVersionError || error instanceof NodeExistsError || error instanceof NoNodeError;
        if (!raced) throw error;
        if (ifMatch !== undefined || attempt + 1 >= WRITE_ATTEMPTS) throw versionConflict(`config key ${ref.key}`, (await this.zk.readText(path))?.stat.version ?? null);
        continue;
      }
      await this.trimHistory(historyFolder);
      return { value: toValue(ref, envelope, version), beforeVersion: read?.stat.version ?? null };
    }
  }

  private async trimHistory(folder: string): Promise<void> {
    const names = (await this.zk.children(folder)).filter((name) => revisionOfHistoryName(name) !== undefined).sort();
    for (const name of names.slice(0, Math.max(0, names.length - HISTORY_KEPT))) {
      await this.zk.run((client) => client.delete(`${folder}/${name}`)).catch(() => undefined);
    }
  }
}

function toValue(ref: KeyRef, envelope: ConfigEnvelope, version: number): ConfigValue {
  const value: ConfigValue = { ...ref, value: envelope.value, contentType: envelope.contentType, version, revision: envelope.revision, modifiedAt: envelope.modifiedAt, modifiedBy: envelope.modifiedBy, comment: envelope.comment };
  if (envelope.gray) value.gray = envelope.gray;
  return value;
}
