// The config center's records: the envelope in /config/{ns}/{group}/{key} (value, content type, revision and
// who wrote it, and an optional gray release) and one history node per revision under /zk-platform.
// libs/recipes decodeConfigData reads the same envelope (value + contentType; gray for its targets).
import type { Stat } from '@zk/sdk';
import { CONTENT_TYPES, type ContentType } from './content-types';

export interface GrayRelease {
  value: string;
  contentType: ContentType;
  targets: string[];
}

export interface ConfigEnvelope {
  value: string;
  contentType: ContentType;
  revision: number;
  modifiedAt: number;
  modifiedBy: string;
  comment: string;
  gray?: GrayRelease;
}

export interface HistoryEntry {
  revision: number;
  version: number;
  value: string;
  contentType: ContentType;
  author: string;
  at: number;
  comment: string;
}

export interface ConfigValue {
  namespace: string;
  group: string;
  key: string;
  value: string;
  contentType: ContentType;
  version: number;
  revision: number;
  modifiedAt: number;
  modifiedBy: string;
  comment: string;
  gray?: GrayRelease;
}

/** The envelope of a key node; a node written by a plain ZooKeeper client is a text value of revision 0. */
export function decodeEnvelope(text: string, stat: Stat): ConfigEnvelope {
  try {
    const parsed = JSON.parse(text) as Partial<ConfigEnvelope>;
    if (typeof parsed === 'object' && parsed !== null && typeof parsed.value === 'string' && CONTENT_TYPES.includes(parsed.contentType as ContentType)) {
      return {
        value: parsed.value,
        contentType: parsed.contentType as ContentType,
        revision: typeof parsed.revision === 'number' ? parsed.revision : 0,
        modifiedAt: typeof parsed.modifiedAt === 'number' ? parsed.modifiedAt : Number(stat.mtime),
        modifiedBy: typeof parsed.modifiedBy === 'string' ? parsed.modifiedBy : '',
        comment: typeof parsed.comment === 'string' ? parsed.comment : '',
        ...(parsed.gray && typeof parsed.gray.value === 'string' && Array.isArray(parsed.gray.targets) ? { gray: parsed.gray } : {}),
      };
    }
  } catch {
    // A raw value.
  }
  return { value: text, contentType: 'text', revision: 0, modifiedAt: Number(stat.mtime), modifiedBy: '', comment: '' };
}

export function historyName(revision: number): string {
  return `r-${String(revision).padStart(10, '0')}`;
}

export function revisionOfHistoryName(name: string): number | undefined {
  const match = /^r-(\d{10})$/.exec(name);
  return match ? Number(match[1]) : undefined;
}
