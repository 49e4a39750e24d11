/**
 * How an audit row's actor acted when not through the console, in words: "token:deploy-bot" →
 * "via token deploy-bot" (AuditEvent.via; '' for the console, which shows nothing).
 */
export function viaWords(via: string): string | null {
  if (!via) return null;
  return via.startsWith('token:') ? `via token ${via.slice('token:'.length)}` : `via ${via}`;
}
