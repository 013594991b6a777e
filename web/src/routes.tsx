/** The route table: first match wins; unknown paths get the 404 page. Staff routes live under `/staff`. */
import { citizenRoutes } from './pages/citizen/routes.js';
import { staffRoutes } from './pages/staff/routes.js';
import type { RouteDefinition } from './router.js';

export const routes: RouteDefinition[] = [...citizenRoutes, ...staffRoutes];
