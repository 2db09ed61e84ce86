// Who may do what in the UI; the API enforces the same rules (403), the UI only avoids offering what would fail.
import type { Role } from './api-types';

const RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2 };

export function hasRole(actual: Role | undefined, needed: Role): boolean {
  return actual !== undefined && RANK[actual] !== undefined && RANK[actual] >= RANK[needed];
}

/** editor and admin change services, config and the tree. */
export const canEdit = (role: Role | undefined): boolean => hasRole(role, 'editor');

/** admin manages users. */
export const canAdmin = (role: Role | undefined): boolean => hasRole(role, 'admin');

export const VIEWER_NOTE = 'You are signed in as a viewer: you can look at everything here, but changes need the editor or admin role.';
