// A local webhook receiver for test/bench/webhooks.bench.mjs, in a process of its own (forked), so it
// does not share the benchmark's event loop with autocannon: node:http with keep-alive, every
// signature checked (HMAC-SHA256 with RECEIVER_SECRET), every event id remembered. Answers 204.
// IPC: the parent sends 'stats' → {port, posts, unique, badSignatures, lastAt (ms since epoch)}.
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';

const SECRET = process.env.RECEIVER_SECRET;
const seen = new Set();
let posts = 0;
let bad = 0;
let lastAt = 0;

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const raw = Buffer.concat(chunks).toString('utf8');
    if (req.headers['x-tierwise-signature'] !== `sha256=${createHmac('sha256', SECRET).update(raw).digest('hex')}`) bad++;
    posts++;
    seen.add(JSON.parse(raw).id);
    lastAt = Date.now();
    res.writeHead(204).end();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send({ ready: true, port: server.address().port }));
process.on('message', (m) => {
  if (m === 'stats') process.send({ stats: { port: server.address().port, posts, unique: seen.size, badSignatures: bad, lastAt } });
  if (m === 'stop') server.close(() => process.exit(0));
});
