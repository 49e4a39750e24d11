// Types of event-stream-route.mjs (plain JavaScript so that scripts/web-server.mjs can load it).
import type { IncomingMessage, ServerResponse } from 'node:http';

export type EventStreamRoute = (request: Request) => Promise<Response>;
export function isEventStreamRequest(req: Pick<IncomingMessage, 'method' | 'url' | 'headers'>): boolean;
export function loadEventStreamRoute(distDir: string): Promise<EventStreamRoute | null>;
export function serveEventStream(req: IncomingMessage, res: ServerResponse, route: EventStreamRoute): Promise<void>;

export interface StreamAdmission {
  /** Calls `start` in a later turn, after the opens queued before it. */
  admit(start: () => unknown): void;
  /** Opens queued and not yet started. */
  readonly waiting: number;
}
export function streamAdmission(perTurn: number, nextTurn?: (drain: () => void) => unknown): StreamAdmission;
