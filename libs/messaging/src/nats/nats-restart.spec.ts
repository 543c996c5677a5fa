import { JetStreamApiError } from '@nats-io/jetstream';
import { errors } from '@nats-io/transport-node';
import { isNatsRestarting } from './nats-restart';

describe('isNatsRestarting', () => {
  it.each([
    ['a request timing out', new errors.TimeoutError()],
    ['a request failing for want of an answer in time', new errors.RequestError('timeout', { cause: new errors.TimeoutError() })],
    ['nobody answering yet', new errors.RequestError('no responders', { cause: new errors.NoRespondersError('$JS.API.INFO') })],
    // As the JetStream client throws it (the class is not exported).
    ['the JetStream API not up yet', Object.assign(new Error('jetstream is not enabled'), { name: 'JetStreamNotEnabled' })],
    // What the servers of a cluster answer while they elect a meta leader.
    ['JetStream temporarily unavailable', new JetStreamApiError({ code: 503, err_code: 10008, description: 'JetStream system temporarily unavailable' })],
  ])('is true for %s', (_case, error) => {
    expect(isNatsRestarting(error)).toBe(true);
  });

  it.each([
    ['a JetStream API refusal', new JetStreamApiError({ code: 404, err_code: 10059, description: 'stream not found' })],
    ['a permission violation', new errors.PermissionViolationError('no', 'publish', '$JS.API.STREAM.CREATE.ORDER')],
    ['any other error', new Error('boom')],
  ])('is false for %s, which waiting does not mend', (_case, error) => {
    expect(isNatsRestarting(error)).toBe(false);
  });
});
