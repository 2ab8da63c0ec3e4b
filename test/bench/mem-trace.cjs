// Bench-only preload (node --require): every 25 ms, this thread's memory (process.memoryUsage() and
// V8's new space) appended as JSON lines to $MEM_TRACE_DIR/<pid>-<threadId>.jsonl. Worker threads
// inherit execArgv, so the API's job threads trace themselves too. Read with mem-trace-report.mjs.
/* eslint-disable @typescript-eslint/no-require-imports -- a --require preload: CommonJS, so worker threads run it too */
'use strict';
const dir = process.env.MEM_TRACE_DIR;
if (dir) {
  const fs = require('node:fs');
  const v8 = require('node:v8');
  const { threadId } = require('node:worker_threads');
  const file = `${dir}/${process.pid}-${threadId}.jsonl`;
  const lines = [];
  const sample = () => {
    const m = process.memoryUsage();
    const spaces = v8.getHeapSpaceStatistics();
    const space = (name) => spaces.find((s) => s.space_name === name)?.space_size ?? 0;
    lines.push(
      JSON.stringify({
        t: Date.now(),
        rss: m.rss,
        heapTotal: m.heapTotal,
        heapUsed: m.heapUsed,
        external: m.external,
        arrayBuffers: m.arrayBuffers,
        newSpace: space('new_space'),
        oldSpace: space('old_space'),
        largeObjects: space('large_object_space') + space('new_large_object_space'),
      }),
    );
    if (lines.length >= 20) flush();
  };
  const flush = () => {
    if (lines.length) fs.appendFileSync(file, lines.join('\n') + '\n');
    lines.length = 0;
  };
  setInterval(sample, 25).unref();
  process.on('exit', flush);
}
