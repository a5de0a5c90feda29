/**
 * The security map in a browser: the VS Code webview and the self-contained HTML report run this same
 * bundle. The data comes from a `<script type="application/json" id="bulkhead-map-data">` element
 * (the report) or a `postMessage` from the extension (the webview, which also gets updates as files
 * change). Opening a node or an edge asks the extension to show its file and line; in the report it
 * shows `file:line` in the details panel.
 *
 * Everything decided without a DOM (filters, layout, aggregation, path texts) is in mapData.ts.
 */
import cytoscape from 'cytoscape';
import { aggregate, aggregateId, AGGREGATE_ABOVE, applyFilter, describePath, Direction, EDGE_KINDS, EdgeKind, edgeKind, Filter, indexNodes, labelOf, layout, MapData, MapNode, nextNode, NO_FILTER, pathsThrough, Placed, Visible } from './mapData';

declare function acquireVsCodeApi(): { postMessage(message: unknown): void };

interface State {
  data: MapData;
  filter: Filter;
  expanded: Set<string>;
  selected: string | undefined;
  visible: Visible;
  /** The node the keyboard is on (arrow keys move it, Enter selects it). */
  focused: string | undefined;
  /** Where each drawn node is, for the arrow keys. */
  placed: Placed[];
}

const vscodeApi = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : undefined;
const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

let cy: cytoscape.Core | undefined;
let state: State | undefined;

function readEmbeddedData(): MapData | undefined {
  const el = document.getElementById('bulkhead-map-data');
  if (!el?.textContent) return undefined;
  return JSON.parse(el.textContent) as MapData;
}

function start(data: MapData): void {
  const keepFilter = state?.filter ?? NO_FILTER;
  const big = data.nodes.length > AGGREGATE_ABOVE;
  const namespaces = [...new Set(data.nodes.flatMap((n) => (n.namespace === null ? [] : [n.namespace])))].sort();
  // Small workspaces start expanded; large ones collapsed, and keep what the user opened across updates.
  const expanded = state?.expanded ?? new Set(big ? [] : namespaces);
  state = { data, filter: keepFilter, expanded, selected: state?.selected, visible: applyFilter(data, keepFilter), focused: state?.focused, placed: [] };
  renderControls(namespaces);
  render();
}

function render(): void {
  if (!state) return;
  const { data } = state;
  state.visible = applyFilter(data, state.filter);
  const drawn = aggregate(data, state.visible, state.expanded);
  state.placed = layout(drawn.nodes);
  const placed = new Map(state.placed.map((p) => [p.id, p]));
  if (state.focused !== undefined && !placed.has(state.focused)) state.focused = undefined;
  const elements: cytoscape.ElementDefinition[] = [];
  for (const n of drawn.nodes) {
    const p = placed.get(n.id)!;
    elements.push({ group: 'nodes', data: { id: n.id, label: nodeLabel(n), type: n.type, jewel: n.jewel ?? '' }, position: { x: p.x, y: p.y }, classes: [n.jewel ? 'jewel' : '', n.type === 'Namespace' ? 'aggregate' : '', n.type === 'Internet' || n.type === 'Entry' ? 'entry' : ''].join(' ').trim() });
  }
  drawn.edges.forEach((e, i) => {
    const label = e.index !== undefined ? data.edges[e.index].type : `${e.count} ${e.kind}`;
    elements.push({ group: 'edges', data: { id: `e${i}`, source: e.from, target: e.to, kind: e.kind, label, index: e.index ?? -1 }, classes: e.kind });
  });
  if (!cy) {
    cy = cytoscape({
      container: $('map'),
      elements,
      layout: { name: 'preset' },
      wheelSensitivity: 0.3,
      style: style(),
      boxSelectionEnabled: false,
    });
    cy.on('tap', 'node', (ev) => {
      state!.focused = ev.target.id();
      onNode(ev.target.id());
    });
    cy.on('tap', 'edge', (ev) => onEdge(Number(ev.target.data('index'))));
    listenToKeys();
  } else {
    cy.batch(() => {
      cy!.elements().remove();
      cy!.add(elements);
    });
    cy.layout({ name: 'preset' }).run();
  }
  cy.fit(undefined, 30);
  renderPaths();
  highlight();
  showFocus();
}

const ARROWS: Record<string, Direction> = { ArrowLeft: 'left', ArrowRight: 'right', ArrowUp: 'up', ArrowDown: 'down' };

/**
 * The drawing by keyboard: Tab reaches it, the arrow keys move between nodes, Enter or Space does what a
 * click does (select a workload and list its paths, expand a namespace, open the file in the editor),
 * Escape clears the selection. The node reached is announced in a live region and outlined.
 */
function listenToKeys(): void {
  const map = $('map');
  map.addEventListener('keydown', (event: KeyboardEvent) => {
    if (!state) return;
    if (Object.hasOwn(ARROWS, event.key)) {
      state.focused = nextNode(state.placed, state.focused, ARROWS[event.key]);
      showFocus();
    } else if ((event.key === 'Enter' || event.key === ' ') && state.focused !== undefined) {
      onNode(state.focused, true);
    } else if (event.key === 'Escape') {
      state.selected = undefined;
      highlight();
      renderPaths();
    } else return;
    event.preventDefault();
  });
  map.addEventListener('focus', () => {
    if (state && state.focused === undefined) state.focused = nextNode(state.placed, undefined, 'right');
    showFocus();
  });
}

function showFocus(): void {
  if (!cy || !state) return;
  cy.nodes().removeClass('focused');
  const status = $('focus-status');
  if (state.focused === undefined) {
    status.textContent = '';
    return;
  }
  const el = cy.getElementById(state.focused);
  el.addClass('focused');
  if (el.nonempty()) {
    const { x1, x2, y1, y2 } = cy.extent();
    const p = el.position();
    if (p.x < x1 || p.x > x2 || p.y < y1 || p.y > y2) cy.center(el);
  }
  const node = indexNodes(state.data).get(state.focused);
  const through = node ? pathsThrough(state.data, state.focused, state.visible.paths).length : 0;
  status.textContent = node
    ? `${node.type} ${labelOf(node, node.id)}${node.namespace ? ` in namespace ${node.namespace}` : ''}: ${through} path${through === 1 ? '' : 's'}. Enter selects it${node.file ? ' and opens its file' : ''}.`
    : `namespace ${state.focused.slice('namespace:'.length)}, collapsed: Enter expands it.`;
}

/** "Workload\nDeployment/web"; a node named after its type (the Internet) once. */
function nodeLabel(n: MapNode): string {
  const type = n.type === 'Namespace' ? 'namespace' : n.type;
  const name = labelOf(n, n.id);
  return name === type ? name : `${type}\n${name}`;
}

/** `keepFocus`: from the keyboard, the file opens beside the map and the focus stays on the map. */
function onNode(id: string, keepFocus = false): void {
  if (!state) return;
  if (id.startsWith('namespace:')) {
    state.expanded.add(id.slice('namespace:'.length));
    render();
    return;
  }
  state.selected = state.selected === id ? undefined : id;
  const node = indexNodes(state.data).get(id);
  showDetails(node ? `${node.type} ${labelOf(node, id)}` : id, node?.file ?? null, node?.line ?? null, keepFocus);
  highlight();
  renderPaths();
}

function onEdge(index: number): void {
  if (!state || index < 0) return;
  const e = state.data.edges[index];
  showDetails(`${e.type}: ${e.reason}`, e.file, e.line);
}

function showDetails(text: string, file: string | null, line: number | null, keepFocus = false): void {
  const details = $('details');
  details.textContent = '';
  const title = document.createElement('div');
  title.textContent = text;
  details.appendChild(title);
  if (file) {
    const where = `${file}${line ? `:${line}` : ''}`;
    if (vscodeApi) {
      const open = document.createElement('button');
      open.textContent = `Open ${where}`;
      open.addEventListener('click', () => vscodeApi.postMessage({ type: 'open', file, line }));
      details.appendChild(open);
      vscodeApi.postMessage({ type: 'open', file, line, preserveFocus: keepFocus });
    } else {
      const loc = document.createElement('code');
      loc.textContent = where;
      loc.className = 'location';
      details.appendChild(loc);
    }
  }
}

function highlight(): void {
  if (!cy || !state) return;
  cy.elements().removeClass('faded on-path selected');
  if (!state.selected) return;
  const through = pathsThrough(state.data, state.selected, state.visible.paths);
  const edges = new Set(through.flatMap((i) => state!.data.paths[i].edges));
  cy.elements().addClass('faded');
  cy.getElementById(state.selected).removeClass('faded').addClass('selected');
  for (const el of cy.edges()) {
    if (edges.has(Number(el.data('index')))) {
      el.removeClass('faded').addClass('on-path');
      el.source().removeClass('faded');
      el.target().removeClass('faded');
    }
  }
}

/** The text list of every visible path (or those through the selected node): the accessible view. */
function renderPaths(): void {
  if (!state) return;
  const list = $('paths');
  list.textContent = '';
  const byId = indexNodes(state.data);
  const shown = state.selected ? pathsThrough(state.data, state.selected, state.visible.paths) : state.visible.paths;
  $('paths-title').textContent = `${shown.length} path${shown.length === 1 ? '' : 's'}${state.selected ? ` through ${labelOf(byId.get(state.selected), state.selected)}` : ''}`;
  for (const i of shown) {
    const p = state.data.paths[i];
    const item = document.createElement('li');
    const button = document.createElement('button');
    button.className = 'path';
    button.textContent = describePath(state.data, p, byId);
    button.addEventListener('click', () => selectPath(i));
    item.appendChild(button);
    const steps = document.createElement('ol');
    for (const e of p.edges) {
      const edge = state.data.edges[e];
      const step = document.createElement('li');
      const text = `${edge.type}: ${edge.reason}`;
      if (edge.file) {
        // A button, so the keyboard reaches the line that creates each step.
        const open = document.createElement('button');
        open.className = 'step';
        open.textContent = text;
        open.title = `${edge.file}${edge.line ? `:${edge.line}` : ''}`;
        open.addEventListener('click', () => onEdge(e));
        step.appendChild(open);
      } else step.textContent = text;
      steps.appendChild(step);
    }
    item.appendChild(steps);
    list.appendChild(item);
  }
}

function selectPath(i: number): void {
  if (!state || !cy) return;
  const p = state.data.paths[i];
  const edges = new Set(p.edges);
  cy.elements().addClass('faded').removeClass('on-path selected');
  for (const el of cy.edges()) {
    if (edges.has(Number(el.data('index')))) {
      el.removeClass('faded').addClass('on-path');
      el.source().removeClass('faded');
      el.target().removeClass('faded');
    }
  }
  const first = state.data.edges[p.edges[0]];
  if (first) showDetails(describePath(state.data, p), first.file, first.line);
}

function renderControls(namespaces: readonly string[]): void {
  if (!state) return;
  const select = $<HTMLSelectElement>('namespace');
  select.textContent = '';
  const all = document.createElement('option');
  all.value = '';
  all.textContent = 'All namespaces';
  select.appendChild(all);
  for (const ns of namespaces) {
    const o = document.createElement('option');
    o.value = ns;
    o.textContent = ns;
    select.appendChild(o);
  }
  select.onchange = () => update({ namespaces: new Set(select.value ? [select.value] : []) });
  const kinds = $('kinds');
  kinds.textContent = '';
  for (const kind of EDGE_KINDS) {
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.checked = state.filter.kinds.has(kind);
    box.onchange = () => {
      const next = new Set<EdgeKind>(state!.filter.kinds);
      if (box.checked) next.add(kind);
      else next.delete(kind);
      update({ kinds: next });
    };
    label.append(box, ` ${kind}`);
    label.className = `kind ${kind}`;
    kinds.appendChild(label);
  }
  const jewels = $<HTMLInputElement>('only-jewels');
  jewels.onchange = () => update({ onlyJewelPaths: jewels.checked });
  const internet = $<HTMLInputElement>('only-internet');
  internet.onchange = () => update({ onlyFromInternet: internet.checked });
}

function update(change: Partial<Filter>): void {
  if (!state) return;
  state.filter = { ...state.filter, ...change };
  render();
}

/** Colours come from the page's CSS variables, so light, dark and high-contrast themes all apply. */
function css(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

const KIND_COLOURS: Record<EdgeKind, string> = { network: '#1f77b4', identity: '#9467bd', rbac: '#ff7f0e', escape: '#d62728' };

/** The graph's styles from the theme's colours now (called again when the theme changes). */
const style = (): cytoscape.StylesheetStyle[] => [
  { selector: 'node', style: { label: 'data(label)', 'text-wrap': 'wrap', 'text-valign': 'center', 'font-size': 11, shape: 'round-rectangle', width: 190, height: 40, 'background-color': css('--map-node', '#e8eef6'), color: css('--map-text', '#1b1f24'), 'border-width': 1, 'border-color': css('--map-border', '#7a8899') } },
  { selector: 'node.jewel', style: { 'background-color': css('--map-jewel', '#f4cccc'), 'border-width': 2 } },
  { selector: 'node.entry', style: { 'background-color': css('--map-entry', '#fff2cc'), 'border-width': 2 } },
  { selector: 'node.aggregate', style: { shape: 'rectangle', 'border-style': 'dashed' } },
  { selector: 'edge', style: { width: 1.5, 'curve-style': 'bezier', 'target-arrow-shape': 'triangle', label: 'data(label)', 'font-size': 9, color: css('--map-text', '#1b1f24'), 'text-background-color': css('--map-bg', '#ffffff'), 'text-background-opacity': 0.8, 'text-background-padding': '1' } },
  ...(['network', 'identity', 'rbac', 'escape'] as const).map((k) => ({ selector: `edge.${k}`, style: { 'line-color': KIND_COLOURS[k], 'target-arrow-color': KIND_COLOURS[k] } })),
  { selector: '.faded', style: { opacity: 0.15 } },
  { selector: 'edge.on-path', style: { width: 4 } },
  { selector: 'node.selected', style: { 'border-width': 4 } },
  { selector: 'node.focused', style: { 'border-width': 4, 'border-style': 'double', 'border-color': css('--map-focus', '#0066cc') } },
];

// VS Code changes the body's theme class while the webview is open; the report follows the system's.
new MutationObserver(() => cy?.style(style())).observe(document.body, { attributes: true, attributeFilter: ['class'] });
window.matchMedia?.('(prefers-color-scheme: dark)').addEventListener?.('change', () => cy?.style(style()));

window.addEventListener('message', (event: MessageEvent) => {
  const message = event.data as { type?: string; data?: MapData };
  if (message?.type === 'map' && message.data) start(message.data);
});

const embedded = readEmbeddedData();
if (embedded) start(embedded);
else vscodeApi?.postMessage({ type: 'ready' });

// Exposed for the end-to-end tests, which query the rendered graph rather than its pixels.
(window as unknown as { bulkheadMap: unknown }).bulkheadMap = {
  nodes: () => cy?.nodes().map((n) => ({ id: n.id(), label: String(n.data('label')), classes: n.classes() })) ?? [],
  edges: () => cy?.edges().map((e) => ({ from: e.source().id(), to: e.target().id(), kind: String(e.data('kind')), label: String(e.data('label')) })) ?? [],
  paths: () => state?.visible.paths.map((i) => describePath(state!.data, state!.data.paths[i])) ?? [],
  tapNode: (id: string) => cy?.getElementById(id).emit('tap'),
  /** Where a node is drawn, in CSS pixels from the top left of the map element (for real mouse clicks). */
  position: (id: string) => {
    const n = cy?.getElementById(id);
    return n?.nonempty() ? n.renderedPosition() : undefined;
  },
  /** The node the keyboard is on, and a node's drawn background colour (themes). */
  focused: () => state?.focused,
  colour: (id: string) => {
    const n = cy?.getElementById(id);
    return n?.nonempty() ? String(n.style('background-color')) : undefined;
  },
  kindOf: edgeKind,
  aggregateId,
};
