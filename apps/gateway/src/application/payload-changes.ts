import type { PayloadChange } from './audit-trail';

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every leaf that differs between two JSON values, objects key by key and arrays index by index, in document order. */
export function payloadChanges(before: unknown, after: unknown, path = ''): PayloadChange[] {
  const bothArrays = Array.isArray(before) && Array.isArray(after);
  if (bothArrays || (isObject(before) && isObject(after))) {
    const beforeEntries = before as JsonObject;
    const afterEntries = after as JsonObject;
    const keys = bothArrays
      ? Array.from({ length: Math.max(before.length, after.length) }, (_, index) => String(index))
      : [...new Set([...Object.keys(beforeEntries), ...Object.keys(afterEntries)])];
    return keys.flatMap((key) => {
      const child = path ? `${path}.${key}` : key;
      if (!(key in afterEntries)) return [{ path: child, before: beforeEntries[key] }];
      if (!(key in beforeEntries)) return [{ path: child, after: afterEntries[key] }];
      return payloadChanges(beforeEntries[key], afterEntries[key], child);
    });
  }
  return before === after ? [] : [{ path, before, after }];
}
