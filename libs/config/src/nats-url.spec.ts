import { z } from 'zod';
import { loadConfig } from './config';
import { natsServers, natsUrlSetting } from './nats-url';

describe('NATS_URL', () => {
  it('is one server or a comma-separated list of them, spaces and empty entries ignored', () => {
    expect(natsServers('nats://127.0.0.1:4222')).toEqual(['nats://127.0.0.1:4222']);
    expect(natsServers(' nats://nats-0.nats-headless:4222, nats-1.nats-headless:4222,,nats://user:secret@[::1]:4223 ,')).toEqual([
      'nats://nats-0.nats-headless:4222',
      'nats-1.nats-headless:4222',
      'nats://user:secret@[::1]:4223',
    ]);
  });

  it.each([
    ['another scheme', 'nats://a:4222,http://b:4222'],
    ['a host without a port', 'nats://a:4222,b'],
    ['a port out of range', 'a:65536'],
    ['a path', 'nats://a:4222/streams'],
    ['a space inside an entry', 'nats://a:4222 nats://b:4222'],
  ])('refuses %s, naming NATS_URL and the entry', (_case, value) => {
    expect(() => natsServers(value)).toThrow(/^NATS_URL: ".+" is not a NATS server; give nats:\/\/host:port or host:port/);
  });

  it('refuses a list without a server', () => {
    expect(() => natsServers(' , ')).toThrow('NATS_URL: lists no server');
  });

  it('as a setting, defaults when unset and is refused at start-up under its name', () => {
    const schema = z.object({ NATS_URL: natsUrlSetting('nats://127.0.0.1:4222') });
    expect(loadConfig(schema, {})).toEqual({ NATS_URL: 'nats://127.0.0.1:4222' });
    expect(loadConfig(schema, { NATS_URL: 'nats://a:4222,nats://b:4222' })).toEqual({ NATS_URL: 'nats://a:4222,nats://b:4222' });
    expect(() => loadConfig(schema, { NATS_URL: 'nats://a:4222,nats//b:4222' })).toThrow(/"nats\/\/b:4222" is not a NATS server[\s\S]*→ at NATS_URL/);
  });
});
