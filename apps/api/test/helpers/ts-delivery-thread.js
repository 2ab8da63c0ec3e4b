/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS, loaded by worker threads outside jest */
// Alias of the one thread loader, ts-thread.js (which compiles the entry named by workerData.tsEntry);
// the API no longer starts threads from this file: delivery-worker.ts uses ts-thread.js with
// tsEntry 'events/delivery-thread.ts'. Kept so that older references keep working.
module.exports = require('./ts-thread.js');
