import 'uplot/dist/uPlot.min.css';
import './style.css';
import { getJson } from './api.js';
import { artifactsPage } from './artifactsPage.js';
import { h, replace } from './element.js';
import { projectPage } from './projectPage.js';
import { runPage } from './runPage.js';
import { sweepPage } from './sweepPage.js';
import { sweepsPage } from './sweepsPage.js';

const app = document.getElementById('app') as HTMLElement;
const nav = document.getElementById('nav') as HTMLElement;
let cleanup: () => void = () => {};

/**
 * Hash routes: #/ projects, #/p/<project>, #/r/<project>/<id>[/<tab>], #/a/<project>[/<collection>],
 * #/sw/<project> (sweeps), #/s/<project>/<sweep>.
 */
async function route(): Promise<void> {
  cleanup();
  cleanup = () => {};
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  document.body.dataset.page = parts[0] ?? 'home';
  try {
    if (parts[0] === 'p' && parts[1]) cleanup = await projectPage(app, parts[1]);
    else if (parts[0] === 'r' && parts[1] && parts[2])
      cleanup = await runPage(app, parts[1], parts[2], (parts[3] ?? 'overview') as never);
    else if (parts[0] === 'a' && parts[1]) cleanup = await artifactsPage(app, parts[1], parts[2]);
    else if (parts[0] === 'sw' && parts[1]) cleanup = await sweepsPage(app, parts[1]);
    else if (parts[0] === 's' && parts[1] && parts[2]) cleanup = await sweepPage(app, parts[1], parts[2]);
    else await home();
  } catch (error) {
    replace(app, h('p', { class: 'error' }, (error as Error).message));
  }
  document.body.dataset.ready = 'true';
}

async function home(): Promise<void> {
  const { dir, projects } = await getJson<{ dir: string; projects: string[] }>('/api/projects');
  replace(nav, ...projects.map((p) => h('a', { href: `#/p/${p}` }, p)));
  if (projects.length === 1) {
    location.replace(`#/p/${projects[0]}`);
    return;
  }
  replace(
    app,
    h('h1', null, 'Projects'),
    h('p', { class: 'muted' }, `store ${dir}`),
    projects.length
      ? h('ul', { class: 'projects' }, ...projects.map((p) => h('li', null, h('a', { href: `#/p/${p}` }, p))))
      : h('p', null, 'No runs yet. Log one with init({ project }) and reload.'),
  );
}

window.addEventListener('hashchange', () => void route());
void route();
getJson<{ projects: string[] }>('/api/projects')
  .then(({ projects }) => replace(nav, ...projects.map((p) => h('a', { href: `#/p/${p}` }, p))))
  .catch(() => {});
