const { Client } = require('pg');
(async () => {
  const c = new Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/test' });
  await c.connect();
  const r = await c.query({ text: "select decode('00ff10', 'hex') as b, 5::int as n, 'x'::text as t", binary: true });
  console.log(r.rows);
  await c.end();
})();
