// Lints several file texts in ONE ESLint instance (the repository's real configuration, with type
// information), each as if it lived at its path: reads [{ filePath, code }] as JSON on stdin and
// writes one array of { ruleId, message } per case as JSON on stdout. One process builds the
// TypeScript program once, where an `eslint --stdin` process per case built it once per case.
import { ESLint } from 'eslint';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const cases = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const eslint = new ESLint({ cwd: process.cwd() });
const out = [];
for (const { filePath, code } of cases) {
  const [result] = await eslint.lintText(code, { filePath });
  out.push(result.messages.map((m) => ({ ruleId: m.ruleId, message: m.message })));
}
process.stdout.write(JSON.stringify(out));
