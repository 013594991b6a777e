import { createHmac } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RealNameLevel, SubjectType } from '../../shared/auth/principal.js';
import { usccCheckChar } from '../../shared/codes/uscc.js';
import { AppError } from '../../shared/errors.js';
import { accountRepository } from '../../shared/identity/account-repository.js';
import { createAccount, type NewAccount } from '../../shared/identity/create-account.js';
import { personalDataProtector } from '../../shared/privacy/personal-data.js';
import type { PlatformDependencies } from '../../shared/runtime/platform-dependencies.js';
import { seedDemoCatalog } from './catalog-seed.js';
import { seedExchangePlatforms } from './exchange-seed.js';
import { persistentSecret } from './persistent-secret.js';

/** One line of `<data dir>/demo-accounts.json`. */
export interface DemoAccount {
  readonly role: string;
  readonly username: string;
  readonly password: string;
  readonly agency?: string;
  readonly agencyUscc?: string;
  readonly region?: string;
  readonly sourceId?: string;
}

export interface DemoAgency {
  readonly id: string;
  readonly name: string;
  readonly uscc: string;
  readonly region: string;
}

/** an agency (机关) USCC in a region with a valid check character: registration authority 1, type 1 */
const agencyUscc = (region: string, organisationCode: string) => {
  const first17 = `11${region}${organisationCode}`;
  return first17 + usccCheckChar(first17);
};

export const DEMO_AGENCIES = {
  a: { id: 'agency-a', name: '杭州市西湖区行政审批局', uscc: agencyUscc('330106', 'MB1A2B3C4'), region: '330106' },
  b: { id: 'agency-b', name: '深圳市南山区政务服务和数据管理局', uscc: agencyUscc('440305', 'MB2D3E4F5'), region: '440305' },
  sealAuthority: { id: 'seal-authority', name: '杭州市电子印章管理中心', uscc: agencyUscc('330100', 'MB3G4H5J6'), region: '330100' },
} as const satisfies Record<string, DemoAgency>;

/** the regional platform that is also an exchange source */
export const DEMO_PLATFORM = { sourceId: 'zj-regional', name: '浙江政务服务网（演示）', region: '330000' } as const;

interface DemoAccountSpec extends Omit<NewAccount, 'password'> {
  readonly role: string;
  readonly loginName: string;
  readonly agencyInfo?: DemoAgency;
  readonly sourceId?: string;
}

/** People and organisations from test/fixtures/identity/registry.json (synthetic; the authorities' test registry). */
const DEMO_ACCOUNTS: readonly DemoAccountSpec[] = [
  staff('admin', 'admin', ['admin'], undefined),
  staff('analyst', 'analyst', ['analyst'], undefined),
  staff('staff', 'staff-a', ['staff'], DEMO_AGENCIES.a),
  staff('staff', 'staff-b', ['staff'], DEMO_AGENCIES.b),
  staff('seal-authority', 'seal-authority', ['staff', 'seal-authority'], DEMO_AGENCIES.sealAuthority),
  {
    role: 'citizen',
    loginName: '13800000001',
    subjectType: 'natural',
    name: '张测试',
    idType: 'resident-id',
    idNumber: '330106199003071236',
    phone: '13800000001',
    region: '330106',
    level: 3,
    verifiedMethods: ['password', 'sms', 'id-card'],
  },
  {
    role: 'enterprise',
    loginName: '91330106MA2B3C4D5D',
    subjectType: 'legal',
    name: '示例科技有限公司',
    uscc: '91330106MA2B3C4D5D',
    phone: '13800000002',
    region: '330106',
    level: 3,
    verifiedMethods: ['password', 'sms', 'market-regulation', 'id-card'],
  },
  {
    role: 'platform',
    loginName: DEMO_PLATFORM.sourceId,
    username: DEMO_PLATFORM.sourceId,
    subjectType: 'platform',
    name: DEMO_PLATFORM.name,
    region: DEMO_PLATFORM.region,
    level: 3,
    roles: ['exchange-source'],
    verifiedMethods: ['client-secret'],
    sourceId: DEMO_PLATFORM.sourceId,
  },
];

function staff(role: string, username: string, roles: string[], agency: DemoAgency | undefined): DemoAccountSpec {
  return {
    role,
    loginName: username,
    username,
    subjectType: 'staff' satisfies SubjectType,
    name: agency ? `${agency.name}工作人员` : role === 'analyst' ? '数据分析员' : '平台管理员',
    level: 3 satisfies RealNameLevel,
    roles,
    verifiedMethods: ['password'],
    ...(agency ? { agency: agency.uscc, region: agency.region, agencyInfo: agency } : {}),
  };
}

/**
 * Seeds the demo data of the local runtime (never run in AWS) and writes `demo-accounts.json`.
 * 1. derive each demo password from a secret kept in the data folder, so a re-run after an
 *    interrupted seed reproduces the same passwords;
 * 2. create each account unless it exists (a conflict means it was seeded before);
 * 3. write the account list last, atomically: its presence means the seed is complete.
 * Returns the accounts, or undefined when the data folder was seeded before.
 */
export async function seedDemoData(deps: PlatformDependencies, dataDir: string): Promise<DemoAccount[] | undefined> {
  const listPath = join(dataDir, 'demo-accounts.json');
  if (await exists(listPath)) return undefined;
  const secret = await persistentSecret(join(dataDir, 'demo-seed.key'));
  const creation = {
    accounts: accountRepository(deps.tables),
    personalData: personalDataProtector({ vault: deps.vault, dataKeyId: deps.keyIds.data, lookupKeyId: deps.keyIds.lookupHash }),
    clock: deps.clock,
  };
  const accounts: DemoAccount[] = [];
  for (const spec of DEMO_ACCOUNTS) {
    const { role, loginName, agencyInfo, sourceId, ...account } = spec;
    const password = demoPassword(secret, role, loginName);
    try {
      await createAccount(creation, { ...account, password });
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'already_registered')) throw error;
    }
    accounts.push({
      role,
      username: loginName,
      password,
      ...(agencyInfo ? { agency: agencyInfo.name, agencyUscc: agencyInfo.uscc } : {}),
      ...(account.region ? { region: account.region } : {}),
      ...(sourceId ? { sourceId } : {}),
    });
  }
  await seedDemoCatalog(deps, DEMO_AGENCIES);
  await seedExchangePlatforms(deps);
  await writeFile(`${listPath}.tmp`, `${JSON.stringify(accounts, null, 2)}\n`, { mode: 0o600 });
  await rename(`${listPath}.tmp`, listPath);
  return accounts;
}

export async function readDemoAccounts(dataDir: string): Promise<DemoAccount[]> {
  return JSON.parse(await readFile(join(dataDir, 'demo-accounts.json'), 'utf8')) as DemoAccount[];
}

/** 16 characters, letters and digits, never a common password */
function demoPassword(secret: string, role: string, loginName: string): string {
  return `Demo-${createHmac('sha256', secret).update(`${role}:${loginName}`).digest('base64url').slice(0, 12)}`;
}

async function exists(path: string): Promise<boolean> {
  try {
    await readFile(path);
    return true;
  } catch {
    return false;
  }
}
