import { describe, expect, it } from 'vitest';
import { digestId } from './digest-auth';

describe('digestId', () => {
  it('matches the digest ZooKeeper documents for super:admin', () => {
    // From ZooKeeper's admin guide: DigestAuthenticationProvider.generateDigest("super:admin").
    expect(digestId('super:admin')).toBe('super:xQJmxLMiHGwaqBvst5y6rkB6HQs=');
  });
  it('keeps the user part and hashes the whole pair', () => {
    expect(digestId('bob:secret').startsWith('bob:')).toBe(true);
    expect(digestId('bob:secret')).not.toBe(digestId('bob:other'));
  });
});
