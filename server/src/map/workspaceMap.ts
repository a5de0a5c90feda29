/**
 * The security map the editor asks for: the workspace folders read from disk as `bulkhead map`
 * reads them (the editor's own index holds only the kinds its rules read, and Helm output is placed
 * in its release namespace here), with absolute file paths the client can open.
 */
import type { MapData } from '../../../client/map/mapData';
import { loadNetworkWorkspace } from '../node/networkWorkspace';
import { buildMapData } from './build';

export function securityMap(folders: readonly string[]): MapData {
  if (!folders.length) return { nodes: [], edges: [], paths: [] };
  const loaded = loadNetworkWorkspace(folders, folders[0]);
  const { truncated: _truncated, ...data } = buildMapData(loaded.index, { displayFile: (f) => f, namespaceOf: loaded.namespaceOf });
  return data;
}
