import type { RouteDefinition } from '../../router.js';
import { ApplyPage } from './apply.js';
import { CaseDetailPage, MyCasesPage } from './cases.js';
import { HomePage } from './home.js';
import { InteractionsPage, NewInteractionPage } from './interactions.js';
import { ItemGuidePage } from './item-guide.js';
import { LevelUpgradePage } from './level-upgrade.js';
import { LifeEventPage } from './life-event.js';
import { LoginPage } from './login.js';
import { MePage } from './me.js';
import { MessagesPage } from './messages.js';
import { FavoritesPage, FootprintsPage, PrivacyPage } from './personal-records.js';
import { RegisterPage } from './register.js';
import { SearchPage } from './search.js';
import { CertificatePage, WalletPage } from './wallet.js';

/** Pages of citizens and enterprises. */
export const citizenRoutes: RouteDefinition[] = [
  { path: '/', title: '首页', page: HomePage },
  { path: '/search', title: '办事服务', page: SearchPage },
  { path: '/items/:code', title: '办事指南', page: ItemGuidePage },
  { path: '/items/:code/apply', title: '在线办理', page: ApplyPage, requires: 'user' },
  { path: '/life-events/:id', title: '一件事', page: LifeEventPage },
  { path: '/login', title: '登录', page: LoginPage },
  { path: '/register', title: '注册', page: RegisterPage },
  { path: '/me', title: '个人中心', page: MePage, requires: 'user' },
  { path: '/me/level', title: '实名认证', page: LevelUpgradePage, requires: 'user' },
  { path: '/me/cases', title: '我的办件', page: MyCasesPage, requires: 'user' },
  { path: '/me/cases/:caseNo', title: '办件详情', page: CaseDetailPage, requires: 'user' },
  { path: '/me/messages', title: '我的消息', page: MessagesPage, requires: 'user' },
  { path: '/me/wallet', title: '我的卡包', page: WalletPage, requires: 'user' },
  { path: '/me/wallet/:identifier', title: '电子证照', page: CertificatePage, requires: 'user' },
  { path: '/me/favorites', title: '我的收藏', page: FavoritesPage, requires: 'user' },
  { path: '/me/footprints', title: '我的足迹', page: FootprintsPage, requires: 'user' },
  { path: '/me/privacy', title: '隐私设置', page: PrivacyPage, requires: 'user' },
  { path: '/interactions', title: '咨询投诉', page: InteractionsPage },
  { path: '/interactions/new', title: '咨询投诉', page: NewInteractionPage, requires: 'user' },
];
