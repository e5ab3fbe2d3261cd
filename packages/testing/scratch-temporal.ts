import { startTemporalTestServer, resolveTemporalCli } from './src/index';
console.log('cli', resolveTemporalCli());
for (let i = 0; i < 3; i++) {
  const t0 = performance.now();
  const server = await startTemporalTestServer();
  const started = performance.now() - t0;
  const ns = await server.env.connection.workflowService.describeNamespace({ namespace: server.namespace });
  console.log('start ms', Math.round(started), server.address, server.namespace, 'ns state', ns.namespaceInfo?.state);
  const t1 = performance.now();
  await server.stop();
  console.log('stop ms', Math.round(performance.now() - t1));
}
