import { parseLauncherOptions } from './launcher-options';

describe('parseLauncherOptions', () => {
  it('watches nothing by default', () => {
    expect(parseLauncherOptions([])).toEqual({ watch: [] });
  });

  it('takes each process to watch, in either form, once', () => {
    expect(parseLauncherOptions(['--watch', 'order-service', '--watch=carrier-sim', '--watch', 'order-service'])).toEqual({ watch: ['order-service', 'carrier-sim'] });
  });

  it('refuses a name that is not a process of the stack, naming it', () => {
    expect(() => parseLauncherOptions(['--watch', 'order'])).toThrow('--watch order: not a process of the stack');
  });

  it('refuses --watch without a process', () => {
    expect(() => parseLauncherOptions(['--watch'])).toThrow(/--watch/);
  });

  it('refuses options it does not know and stray arguments', () => {
    expect(() => parseLauncherOptions(['--wach', 'order-service'])).toThrow(/--wach/);
    expect(() => parseLauncherOptions(['order-service'])).toThrow(/order-service/);
  });
});
