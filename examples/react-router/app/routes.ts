import { index, layout, route, type RouteConfig } from '@react-router/dev/routes';

/** Eight nested layouts, each with a loader, around the home page. */
const LEVELS = 8;
let page = [index('routes/home.tsx')];
for (let level = LEVELS; level >= 1; level--) {
  page = [layout('routes/level.tsx', { id: `level-${level}` }, page)];
}

export default [
  route('bff/*', 'routes/bff.ts', { id: 'bff' }),
  route('api/*', 'routes/bff.ts', { id: 'api' }),
  ...page,
] satisfies RouteConfig;
