/**
 * One JetStream stream per bounded context, holding every event that context
 * publishes. Queries (request/reply) live under `query.>` so no stream captures them.
 */
export interface StreamDefinition {
  name: string;
  context: string;
  subjects: string[];
}

const CONTEXTS = ['order', 'inventory', 'payment', 'shipping'] as const;
export type BoundedContext = (typeof CONTEXTS)[number];

export const STREAMS: readonly StreamDefinition[] = CONTEXTS.map((context) => ({
  name: context.toUpperCase(),
  context,
  subjects: [`${context}.>`],
}));

export function streamForContext(context: string): StreamDefinition {
  const stream = STREAMS.find((candidate) => candidate.context === context);
  if (!stream) throw new Error(`No stream is defined for context "${context}"`);
  return stream;
}
