import { startTemporalTestServer, startFixtureHttpServer, startEverythingHttpServer } from './src/index';
const t = await startTemporalTestServer();
const f = await startFixtureHttpServer();
const e = await startEverythingHttpServer();
console.log('READY', t.address, f.port, e.port, process.pid);
if (process.argv[2] === 'exit') process.exit(0);
if (process.argv[2] === 'throw') throw new Error('uncaught');
setInterval(() => undefined, 1000);
