/**
 * Writes the files generated from the rules' own metadata: the config JSON Schema and the rule
 * reference. Run with `npm run generate` after adding or changing a rule; a test fails when stale.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generatedFiles } from './generated';

const root = path.resolve(__dirname, '../..');
for (const [file, content] of Object.entries(generatedFiles())) {
  const target = path.join(root, file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const before = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : undefined;
  if (before !== content) {
    fs.writeFileSync(target, content);
    console.log(`wrote ${file}`);
  } else console.log(`${file} is up to date`);
}
