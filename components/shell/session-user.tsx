'use client';

import { createContext, useContext, type ReactNode } from 'react';
import type { Role } from '@/server/db/generated/enums';

/** The signed-in user as resolved by the console layout on the server (no session id). */
export interface ShellUser {
  id: string;
  name: string;
  displayName: string;
  role: Role;
  /** How times are shown to this user (User.timeZone). */
  timeZone: 'utc' | 'local';
}

const SessionUserContext = createContext<ShellUser | null>(null);

export function SessionUserProvider({ user, children }: { user: ShellUser; children: ReactNode }) {
  return <SessionUserContext.Provider value={user}>{children}</SessionUserContext.Provider>;
}

export function useSessionUser(): ShellUser {
  const user = useContext(SessionUserContext);
  if (!user) throw new Error('useSessionUser must be used inside the console layout');
  return user;
}
