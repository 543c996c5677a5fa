export type { ReceivedSpan } from './anatomy/otlp-json';
export { SpanCollector } from './anatomy/span-collector';
