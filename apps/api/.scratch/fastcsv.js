// prototype: streaming RFC4180 parser over decoded strings
function makeParser(onRecord) {
  let field = '', record = [], inQuotes = false, quoteSeen = false, pending = '';
  return {
    push(str) {
      let i = 0, n = str.length, start = 0;
      while (i < n) {
        if (inQuotes) {
          const q = str.indexOf('"', i);
          if (q === -1) { field += str.slice(i); i = n; break; }
          if (q + 1 < n) {
            if (str.charCodeAt(q + 1) === 34) { field += str.slice(i, q + 1); i = q + 2; continue; }
            field += str.slice(i, q); inQuotes = false; i = q + 1; continue;
          } else { field += str.slice(i, q); pending='"'; i = n; break; }
        }
        // unquoted: scan to next , \n \r or "
        let j = i;
        for (; j < n; j++) { const c = str.charCodeAt(j); if (c === 44 || c === 10 || c === 13 || c === 34) break; }
        field += str.slice(i, j);
        if (j === n) { i = n; break; }
        const c = str.charCodeAt(j);
        if (c === 44) { record.push(field); field = ''; i = j + 1; }
        else if (c === 10) { record.push(field); field = ''; onRecord(record); record = []; i = j + 1; }
        else if (c === 13) { i = j + 1; }
        else { inQuotes = true; i = j + 1; }
      }
    },
    end() { if (field !== '' || record.length) { record.push(field); onRecord(record); } }
  };
}
const N = 1000000;
const parts = ['customerId,avgDailyAssets,familyAvgDailyAssets,hasValidId,district,ageBand\n'];
const d = ['惠城区','惠阳区','博罗县','惠东县','龙门县'];
for (let i = 0; i < N; i++) parts.push(`C${i},${(Math.random()*1e6).toFixed(2)},${i%3?'':(Math.random()*1e6).toFixed(2)},${i%50?'true':'false'},${d[i%5]},26-35\n`);
const buf = Buffer.from(parts.join(''));
let t = Date.now(); let n = 0; let sum = 0;
const p = makeParser((r) => { n++; sum += Number(r[1]) || 0; });
const dec = new (require('string_decoder').StringDecoder)('utf8');
for (let o = 0; o < buf.length; o += 65536) p.push(dec.write(buf.subarray(o, o + 65536)));
p.end();
console.log('fast rows', n, Date.now() - t, 'ms');
