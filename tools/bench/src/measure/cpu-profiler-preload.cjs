// Preloaded into a process (NODE_OPTIONS="--require <this file>") by `npm run bench -- --profile`.
// V8's profiler is switched by signal rather than by --cpu-prof (which NODE_OPTIONS does not
// allow and which would also profile start-up): the first SIGWINCH starts it, the next stops it
// and writes <BENCH_CPU_PROFILE_DIR>/<pid>.cpuprofile. SIGWINCH because its default action is to
// be ignored and NestJS's shutdown hooks do not treat it as a request to stop (SIGUSR2 they do).
const { Session } = require('node:inspector');
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');

const directory = process.env.BENCH_CPU_PROFILE_DIR;
const session = new Session();
session.connect();
let profiling = false;

process.on('SIGWINCH', () => {
  if (!profiling) {
    profiling = true;
    session.post('Profiler.enable', () => session.post('Profiler.start'));
    return;
  }
  profiling = false;
  session.post('Profiler.stop', (error, result) => {
    if (error) console.error(`CPU profile lost: ${error.message}`);
    else writeFileSync(join(directory, `${process.pid}.cpuprofile`), JSON.stringify(result.profile));
  });
});
