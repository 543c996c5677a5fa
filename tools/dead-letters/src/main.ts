import { Logger } from '@nestjs/common';
import { runCli } from './cli';

// Connection chatter would mix with the output (and break --json); errors still reach stderr.
Logger.overrideLogger(['error', 'fatal']);

void runCli(process.argv.slice(2), {
  out: (text) => console.log(text),
  err: (text) => console.error(text),
}).then((code) => {
  process.exitCode = code;
});
