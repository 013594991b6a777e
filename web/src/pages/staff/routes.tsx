/** The staff workbench (GB/T 39047 6.1.6, 6.1.8, 6.2.5): every page needs agency staff. */
import type { RouteDefinition } from '../../router.js';
import { AlertsPage } from './alerts.js';
import { CaseDetailPage } from './case-detail.js';
import { CaseQueuePage } from './case-queue.js';
import { InteractionsPage } from './interactions.js';
import { WorkbenchPage } from './workbench.js';
import './staff.css';

export const staffRoutes: RouteDefinition[] = [
  { path: '/staff', title: '工作台', page: WorkbenchPage, requires: 'staff' },
  { path: '/staff/cases', title: '办件队列', page: CaseQueuePage, requires: 'staff' },
  { path: '/staff/cases/:caseNo', title: '办件详情', page: CaseDetailPage, requires: 'staff' },
  { path: '/staff/interactions', title: '咨询投诉处理', page: InteractionsPage, requires: 'staff' },
  { path: '/staff/alerts', title: '督办提醒', page: AlertsPage, requires: 'staff' },
];
