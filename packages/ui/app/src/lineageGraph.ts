import type { LineageGraph } from './types.js';

const SVG = 'http://www.w3.org/2000/svg';
const NODE_W = 170;
const NODE_H = 28;
const GAP_X = 80;
const GAP_Y = 14;

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number>,
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  return element;
}

/**
 * The lineage of a project as layers from left to right: a version is placed after the run that logged it and a
 * run after the versions it used (longest path), so data flows left to right: dataset -> training run -> model.
 */
export function lineageGraph(graph: LineageGraph, project: string): SVGSVGElement {
  const incoming = new Map<string, string[]>();
  for (const edge of graph.edges) incoming.set(edge.to, [...(incoming.get(edge.to) ?? []), edge.from]);
  const layer = new Map<string, number>();
  const visiting = new Set<string>();
  const depth = (id: string): number => {
    const known = layer.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return 0; // a cycle (a run that used what it logged): cut it
    visiting.add(id);
    const d = Math.max(-1, ...(incoming.get(id) ?? []).map(depth)) + 1;
    visiting.delete(id);
    layer.set(id, d);
    return d;
  };
  for (const node of graph.nodes) depth(node.id);
  const rows = new Map<number, number>();
  const position = new Map<string, { x: number; y: number }>();
  for (const node of graph.nodes) {
    const l = layer.get(node.id) ?? 0;
    const row = rows.get(l) ?? 0;
    rows.set(l, row + 1);
    position.set(node.id, { x: 10 + l * (NODE_W + GAP_X), y: 10 + row * (NODE_H + GAP_Y) });
  }
  const width = 20 + (Math.max(0, ...rows.keys()) + 1) * (NODE_W + GAP_X);
  const height = 20 + Math.max(1, ...rows.values()) * (NODE_H + GAP_Y);
  const root = svg('svg', { width, height, class: 'lineage', viewBox: `0 0 ${width} ${height}` });
  const defs = svg('defs', {});
  const marker = svg('marker', {
    id: 'arrow',
    viewBox: '0 0 10 10',
    refX: 10,
    refY: 5,
    markerWidth: 7,
    markerHeight: 7,
    orient: 'auto',
  });
  marker.append(svg('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrow-head' }));
  defs.append(marker);
  root.append(defs);
  for (const edge of graph.edges) {
    const a = position.get(edge.from);
    const b = position.get(edge.to);
    if (!a || !b) continue;
    const [x1, y1, x2, y2] = [a.x + NODE_W, a.y + NODE_H / 2, b.x, b.y + NODE_H / 2];
    const mid = (x1 + x2) / 2;
    root.append(
      svg('path', {
        d: `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`,
        class: `edge edge-${edge.kind}`,
        'marker-end': 'url(#arrow)',
      }),
    );
  }
  for (const node of graph.nodes) {
    const p = position.get(node.id);
    if (!p) continue;
    const link = svg('a', {
      href: node.kind === 'run' ? `#/r/${node.id.slice(4)}` : `#/a/${project}/${node.label.split(':')[0]}`,
    });
    link.append(
      svg('rect', {
        x: p.x,
        y: p.y,
        width: NODE_W,
        height: NODE_H,
        rx: node.kind === 'run' ? 14 : 3,
        class: `node node-${node.kind}`,
      }),
    );
    const text = svg('text', { x: p.x + 10, y: p.y + NODE_H / 2 + 4, class: 'node-label' });
    text.textContent = node.label.length > 24 ? `${node.label.slice(0, 23)}…` : node.label;
    const title = svg('title', {});
    title.textContent = node.label;
    link.append(text, title);
    root.append(link);
  }
  return root;
}
