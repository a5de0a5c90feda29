/** Finding Helm charts on disk, for the differential test against helm and the chart benchmark. */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Top-level charts under a folder: a Chart.yaml not inside another chart's charts/ or templates/. */
export function findCharts(dir: string, out: string[] = [], depth = 0): string[] {
  if (depth > 8) return out;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  if (entries.some((e) => e.isFile() && e.name === 'Chart.yaml')) {
    out.push(dir);
    return out;
  }
  for (const e of entries) if (e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules') findCharts(path.join(dir, e.name), out, depth + 1);
  return out.sort();
}
