'use client';
// Tells a viewer why the change controls are missing.
import { canEdit, VIEWER_NOTE } from '../lib/roles';
import { useApp } from './AppProvider';

export function ViewerNote() {
  const { session } = useApp();
  if (!session || canEdit(session.user.role)) return null;
  return (
    <p className="notice notice-info" role="note">
      {VIEWER_NOTE}
    </p>
  );
}

export function useCanEdit(): boolean {
  const { session } = useApp();
  return canEdit(session?.user.role);
}
