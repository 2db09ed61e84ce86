import { describe, expect, it } from 'vitest';
import { canAdmin, canEdit, hasRole } from './roles';

describe('role gating', () => {
  it.each([
    ['viewer', false, false],
    ['editor', true, false],
    ['admin', true, true],
    [undefined, false, false],
  ] as const)('%s: edit %s, admin %s', (role, edit, admin) => {
    expect(canEdit(role)).toBe(edit);
    expect(canAdmin(role)).toBe(admin);
  });

  it('treats an unknown role as no role', () => {
    expect(hasRole('root' as never, 'viewer')).toBe(false);
  });
});
