import { parseTopology } from '@orders/local-stack';
import { Platform, PlatformOptions } from './support/platform';

/**
 * Runs a command on a platform of its own: starts it, runs `work`, stops it (on Ctrl-C too, then
 * exiting 130) and exits with the code `work` answers, or 2 when anything throws. Unless `options`
 * names a topology, STACK_REPLICAS and STACK_NATS_CLUSTER set it, as for `npm start`.
 */
export function runWithPlatform(options: PlatformOptions, work: (platform: Platform) => Promise<number>): void {
  const run = async (): Promise<number> => {
    const platform = new Platform({ ...options, topology: options.topology ?? parseTopology({}, process.env) });
    await platform.start();
    const stopOnSignal = () => void platform.stop().finally(() => process.exit(130));
    process.once('SIGINT', stopOnSignal);
    try {
      return await work(platform);
    } finally {
      process.off('SIGINT', stopOnSignal);
      await platform.stop();
    }
  };
  run().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(2);
    },
  );
}
