// Messages many subscribers are sent as they are (one tick's topology delta or snapshot): the
// transformer serialises such a message once per process, not once per subscriber. At 10,000
// instances a snapshot is ~2 MB of JSON, and superjson walks (copies) the whole tree per call, so
// per subscriber it was most of a tick's work on the web event loop.
const shared = new WeakMap<object, { serialized?: unknown }>();

/**
 * Marks `message` as never modified again, so the serialised form made for one subscriber is sent
 * to all. The caller keeps that promise: nothing may change the object (or anything in it) later.
 */
export function shareMessage<T extends object>(message: T): T {
  if (!shared.has(message)) shared.set(message, {});
  return message;
}

/** How many shared messages were serialised (the tests check "once per message"). */
export const sharedSerializations = { count: 0 };

/** `serialize(v)`, kept and reused when `v` is a shared message; anything else is serialised each time. */
export function serializeShared(v: unknown, serialize: (v: unknown) => unknown): unknown {
  const slot = typeof v === 'object' && v !== null ? shared.get(v) : undefined;
  if (!slot) return serialize(v);
  if (!('serialized' in slot)) {
    slot.serialized = serialize(v);
    sharedSerializations.count++;
  }
  return slot.serialized;
}
