import { createServer } from 'node:http';

/** The baseline of the gateway benchmark: a bare Node HTTP server answering a small JSON body. */
const body = JSON.stringify({ status: 'ok', checks: { tables: 'ok', keyVault: 'ok', blobStore: 'ok', searchIndex: 'ok' } });
const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  const address = server.address();
  console.log(`listening ${typeof address === 'object' && address ? address.port : ''}`);
});
