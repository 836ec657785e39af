import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

// vega and vega-lite are the dashboard's dependencies; the media tests borrow them to render written specs.
const fromUi = createRequire(join(__dirname, '..', '..', '..', 'ui', 'package.json'));

/** Compiles a Vega-Lite spec and renders it to SVG headlessly; throws when the spec is invalid. */
export async function renderVegaLite(spec: object): Promise<string> {
  const vegaLite = await import(pathToFileURL(fromUi.resolve('vega-lite')).href);
  const vega = await import(pathToFileURL(fromUi.resolve('vega')).href);
  const compiled = vegaLite.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  return view.toSVG();
}
