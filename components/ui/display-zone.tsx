'use client';

// The zone every time in the console is shown in, from the user's preference (User.timeZone,
// delivered with the session) and, for "local", the browser's zone. Server rendering and the
// first client render use UTC (the server cannot know the browser's zone); the browser's zone
// follows right after hydration.
import { createContext, useContext, useMemo, useState, useSyncExternalStore, type ReactNode } from 'react';
import { displayZone, UTC_ZONE, type DisplayZone, type TimeZonePreference } from './format-time';

interface ZoneState {
  zone: DisplayZone;
  preference: TimeZonePreference;
  setPreference: (p: TimeZonePreference) => void;
}

const ZoneContext = createContext<ZoneState | null>(null);
const noSubscribe = () => () => undefined;
const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

export function DisplayZoneProvider({ preference: initial, children }: { preference: TimeZonePreference; children: ReactNode }) {
  const [preference, setPreference] = useState(initial);
  const browser = useSyncExternalStore(noSubscribe, browserZone, () => 'UTC');
  const value = useMemo(() => ({ zone: displayZone(preference, browser), preference, setPreference }), [preference, browser]);
  return <ZoneContext.Provider value={value}>{children}</ZoneContext.Provider>;
}

/** The zone to pass to formatDateTime / formatTime; UTC outside the console (the login page). */
export function useDisplayZone(): DisplayZone {
  return useContext(ZoneContext)?.zone ?? UTC_ZONE;
}

export function useTimeZonePreference(): ZoneState {
  const s = useContext(ZoneContext);
  if (!s) throw new Error('useTimeZonePreference must be used inside the console layout');
  return s;
}
