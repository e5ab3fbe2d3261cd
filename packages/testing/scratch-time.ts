import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
const argv = JSON.parse(process.argv[2]!) as string[];
for (let i = 0; i < 4; i++) {
  const t0 = performance.now();
  const client = new Client({ name: 's', version: '0' });
  await client.connect(new StdioClientTransport({ command: argv[0]!, args: argv.slice(1) }));
  const ms = performance.now() - t0;
  await client.callTool({ name: 'echo', arguments: { message: 'x' } });
  await client.close();
  console.log(argv[0]!.split('/').pop(), Math.round(ms), 'ms');
}
