import { readFileSync } from 'node:fs';
import { usccCheckChar } from '../../../shared/codes/uscc.js';
import type { Agency, BasicItem, Hall, Implementation, LifeEvent, Material, NegativeList, Policy } from '../../../shared/catalog/catalog-model.js';
import type { CatalogImport } from '../../../shared/catalog/import-catalog.js';
import type { DemoAgency } from '../demo-seed.js';

/**
 * The demo catalog of the local runtime:
 * - basic-items.json and negative-list-2024.json: the shared catalog fixture (155 national
 *   basic items with colloquial aliases and life events; the 29 measures of the 2024 negative
 *   list, paraphrased, with industry hints), copied as is;
 * - agency A (西湖区, 330106) implements fourteen items online, agency B (南山区, 440305) four; a
 *   city and a provincial agency each implement one, so guides fall back county → city → province;
 * - the six life events of the fixture as one-thing bundles, three policies, three halls.
 * Agencies other than A and B have no accounts; their credit codes are valid but invented.
 */

interface FixtureItem extends Omit<BasicItem, 'conditions' | 'establishment'> {}

const fixture = <T>(name: string): T => JSON.parse(readFileSync(new URL(`./${name}`, import.meta.url), 'utf8')) as T;

/** enterprise establishment items: a foreign investor pre-judges their business scope against the negative list */
const ESTABLISHMENT_ITEMS = new Set(['SC-XK-0001', 'SC-XK-0004']);

function basicItems(): BasicItem[] {
  return fixture<FixtureItem[]>('basic-items.json').map((item) => ({
    ...item,
    conditions: [`申请人符合${item.legalBasis}规定的条件`],
    ...(ESTABLISHMENT_ITEMS.has(item.code) ? { establishment: true } : {}),
  }));
}

const agencyUscc = (region: string, organisationCode: string) => {
  const first17 = `11${region}${organisationCode}`;
  return first17 + usccCheckChar(first17);
};

const HANGZHOU_POLICE: Agency = { uscc: agencyUscc('330100', 'MB4K5L6M7'), name: '杭州市公安局出入境管理局' };
const ZHEJIANG_MARKET: Agency = { uscc: agencyUscc('330000', 'MB5N6P7Q8'), name: '浙江省市场监督管理局' };

const WESTLAKE_CENTRE = { name: '西湖区政务服务中心综合窗口', address: '杭州市西湖区文二西路与紫金港路交叉口西湖区行政服务中心一楼', phone: '0571-87000000', hours: '工作日 9:00-17:00' };
const NANSHAN_CENTRE = { name: '南山区政务服务中心综合窗口', address: '深圳市南山区南头街道南山大道与桃园路交汇处南山区政务服务中心', phone: '0755-26000000', hours: '工作日 9:00-18:00' };

type OwnFields = Omit<Implementation, 'itemCode' | 'region' | 'agency'>;

const westlake = (agency: Agency, itemCode: string, own: OwnFields = {}): Implementation => ({
  itemCode,
  region: '330106',
  agency,
  onlineUrl: `https://zwfw.example.gov.cn/330106/items/${itemCode}`,
  contactPhone: '0571-12345',
  windows: [WESTLAKE_CENTRE],
  ...own,
});

const nanshan = (agency: Agency, itemCode: string, own: OwnFields = {}): Implementation => ({
  itemCode,
  region: '440305',
  agency,
  onlineUrl: `https://zwfw.example.gov.cn/440305/items/${itemCode}`,
  contactPhone: '0755-12345',
  windows: [NANSHAN_CENTRE],
  ...own,
});

const required = (name: string, note?: string): Material => ({ name, required: true, ...(note ? { note } : {}) });

function implementations(a: Agency, b: Agency): Implementation[] {
  return [
    // agency A: fourteen items applied for online in 西湖区, eight of them for natural persons
    westlake(a, 'SC-XK-0001', {
      promisedDays: 0,
      materials: [
        required('公司登记（备案）申请书'),
        required('公司章程'),
        required('股东主体资格证明或自然人身份证件'),
        required('法定代表人、董事、监事和经理的任职文件'),
        { name: '住所使用证明', required: false, note: '实行住所申报承诺制，可作出承诺后免予提交' },
      ],
    }),
    westlake(a, 'SC-XK-0005', { promisedDays: 0 }),
    westlake(a, 'SC-XK-0007', { promisedDays: 3 }),
    westlake(a, 'GA-QT-0001'),
    westlake(a, 'SW-FW-0001'),
    westlake(a, 'RS-FW-0001', { onlineDepth: 4, fee: false }),
    westlake(a, 'RS-FW-0002', { onlineDepth: 4, promisedDays: 0, feeNote: '因个人原因补换卡的，按规定收取工本费' }),
    westlake(a, 'ZJ-FW-0002', { promisedDays: 0 }),
    westlake(a, 'ZJ-FW-0003'),
    westlake(a, 'GA-XK-0001'),
    westlake(a, 'GA-QR-0005', { promisedDays: 1 }),
    westlake(a, 'WJ-QR-0001', { onlineDepth: 4 }),
    westlake(a, 'YB-FW-0001'),
    westlake(a, 'RS-GF-0003', { promisedDays: 1 }),
    // agency B: a few items in 南山区
    nanshan(b, 'SC-XK-0001', { promisedDays: 0, materials: [required('公司登记（备案）申请书'), required('公司章程'), required('股东主体资格证明或自然人身份证件')] }),
    nanshan(b, 'SC-XK-0005', { promisedDays: 0 }),
    nanshan(b, 'RS-FW-0001', { promisedDays: 0, onlineDepth: 4 }),
    nanshan(b, 'GA-QR-0005', { promisedDays: 0 }),
    // a city and a provincial implementation for the region fallback of guides
    {
      itemCode: 'YM-XK-0001',
      region: '330100',
      agency: HANGZHOU_POLICE,
      promisedDays: 7,
      onlineDepth: 3,
      onlineUrl: 'https://zwfw.example.gov.cn/330100/items/YM-XK-0001',
      windows: [{ name: '杭州市出入境接待大厅', address: '杭州市上城区解放东路', hours: '周一至周六 9:00-17:00' }],
    },
    { itemCode: 'SC-XK-0004', region: '330000', agency: ZHEJIANG_MARKET, promisedDays: 1, onlineUrl: 'https://zwfw.example.gov.cn/330000/items/SC-XK-0004' },
  ];
}

/** the fixture's life events, with the order their items are handled in and what the shared form asks once */
const LIFE_EVENTS: readonly LifeEvent[] = [
  {
    id: 'kaiban-qiye',
    name: '开办企业一件事',
    description: '企业设立登记、公章刻制、社保和医保参保登记、公积金缴存登记、税务报到和发票申领一次办结。',
    itemCodes: ['SC-XK-0001', 'GA-QT-0001', 'SW-FW-0001', 'SW-QT-0001', 'RS-QR-0001', 'YB-QR-0002', 'ZJ-FW-0001'],
    sharedForm: [
      { field: 'enterpriseName', label: '企业名称' },
      { field: 'domicile', label: '住所' },
      { field: 'businessScope', label: '经营范围' },
      { field: 'registeredCapital', label: '注册资本' },
      { field: 'legalRepresentative', label: '法定代表人' },
    ],
    aliases: ['企业开办'],
  },
  {
    id: 'kaiban-canyindian',
    name: '开办餐饮店一件事',
    description: '个体工商户设立登记、食品经营许可和开业前消防安全检查一并办理。',
    itemCodes: ['SC-XK-0005', 'SC-XK-0007', 'XF-XK-0001'],
    sharedForm: [
      { field: 'operatorName', label: '经营者姓名' },
      { field: 'premises', label: '经营场所' },
      { field: 'businessScope', label: '经营范围' },
    ],
    aliases: ['餐饮开店'],
  },
  {
    id: 'xinshenger-chusheng',
    name: '新生儿出生一件事',
    description: '出生医学证明、预防接种证、出生登记、医保参保、社保卡申领、生育登记和生育津贴一次申请。',
    itemCodes: ['WJ-QR-0001', 'WJ-FW-0001', 'GA-QR-0005', 'YB-QR-0001', 'RS-FW-0001', 'WJ-FW-0002', 'YB-GF-0001'],
    sharedForm: [
      { field: 'babyName', label: '新生儿姓名' },
      { field: 'birthDate', label: '出生日期' },
      { field: 'guardians', label: '父母姓名及身份证件' },
      { field: 'household', label: '落户地址' },
    ],
    aliases: ['出生一件事'],
  },
  {
    id: 'shenhou',
    name: '身后一件事',
    description: '死亡注销户口、丧葬补助金和抚恤金申领、惠民殡葬补贴申领一并办理。',
    itemCodes: ['GA-QR-0006', 'RS-GF-0004', 'MZ-GF-0003'],
    sharedForm: [
      { field: 'deceasedName', label: '逝者姓名' },
      { field: 'dateOfDeath', label: '死亡日期' },
      { field: 'applicant', label: '经办亲属' },
    ],
    aliases: ['逝者身后事'],
  },
  {
    id: 'tuixiu',
    name: '退休一件事',
    description: '退休申请、养老保险待遇申领、医保待遇核定和住房公积金提取一次办结。',
    itemCodes: ['RS-QR-0004', 'RS-GF-0001', 'RS-GF-0002', 'YB-QR-0004', 'ZJ-FW-0004'],
    sharedForm: [
      { field: 'retireeName', label: '退休人员姓名' },
      { field: 'employer', label: '所在单位' },
      { field: 'bankAccount', label: '待遇发放账户' },
    ],
    aliases: ['退休办理'],
  },
  {
    id: 'ershoufang-zhuanyi',
    name: '二手房转移登记一件事',
    description: '网签备案、税费申报、不动产转移登记、抵押登记和公积金贷款一窗受理。',
    itemCodes: ['ZJ-QT-0001', 'SW-ZS-0002', 'SW-ZS-0003', 'ZR-QR-0002', 'ZJ-FW-0005', 'ZJ-FW-0002', 'ZR-QR-0003'],
    sharedForm: [
      { field: 'property', label: '房屋坐落' },
      { field: 'seller', label: '出卖人' },
      { field: 'buyer', label: '买受人' },
      { field: 'price', label: '成交价格' },
    ],
    aliases: ['二手房交易'],
  },
];

const POLICIES: readonly Policy[] = [
  {
    id: 'POL-GF-2024-03',
    title: '关于进一步优化政务服务提升行政效能推动“高效办成一件事”的指导意见',
    issuer: '国务院',
    issuedOn: '2024-01-16',
    region: 'national',
    themes: ['设立变更', '婚育收养', '退休养老'],
    body: '围绕企业和个人全生命周期，推动开办企业、新生儿出生、退休等高频事项“一件事”集成办理，减环节、减材料、减时限、减跑动。（演示摘要，非原文）',
    relatedItems: ['SC-XK-0001', 'GA-QR-0005', 'RS-QR-0004'],
  },
  {
    id: 'POL-HZ-2025-01',
    title: '杭州市支持小微企业和个体工商户发展的若干措施（演示）',
    issuer: '杭州市人民政府办公厅',
    issuedOn: '2025-03-01',
    region: '330100',
    themes: ['设立变更', '准营准办'],
    body: '新办小微企业和个体工商户可享受开办费用减免、首年房租补贴和创业担保贷款贴息。（演示内容）',
    relatedItems: ['SC-XK-0001', 'SC-XK-0005'],
  },
  {
    id: 'POL-NS-2025-02',
    title: '南山区新就业人才住房公积金提取便利化措施（演示）',
    issuer: '深圳市南山区人民政府',
    issuedOn: '2025-05-20',
    region: '440305',
    themes: ['住房保障'],
    body: '新就业人才租房提取住房公积金实行按月提取、全程网办。（演示内容）',
    relatedItems: ['ZJ-FW-0003'],
  },
];

function halls(a: Agency, b: Agency, implemented: readonly Implementation[]): Hall[] {
  const handledIn = (region: string) => implemented.filter((implementation) => implementation.region === region).map((implementation) => implementation.itemCode);
  return [
    {
      id: 'HALL-330106-01',
      name: '西湖区政务服务中心',
      address: '浙江省杭州市西湖区文二西路与紫金港路交叉口',
      region: '330106',
      location: { lat: 30.2807, lng: 120.0893 },
      openingHours: '工作日 9:00-17:00，周六上午 9:00-12:00',
      itemCodes: handledIn('330106'),
      agency: a,
      phone: '0571-87000000',
    },
    {
      id: 'HALL-330100-01',
      name: '杭州市民中心政务服务大厅',
      address: '浙江省杭州市上城区解放东路18号',
      region: '330102',
      location: { lat: 30.2442, lng: 120.2103 },
      openingHours: '工作日 9:00-17:00',
      itemCodes: ['YM-XK-0001', 'SC-XK-0001', 'RS-FW-0001', 'ZJ-FW-0002'],
      agency: HANGZHOU_POLICE,
    },
    {
      id: 'HALL-440305-01',
      name: '南山区政务服务中心',
      address: '广东省深圳市南山区南头街道南山大道与桃园路交汇处',
      region: '440305',
      location: { lat: 22.5329, lng: 113.9236 },
      openingHours: '工作日 9:00-18:00',
      itemCodes: handledIn('440305'),
      agency: b,
      phone: '0755-26000000',
    },
  ];
}

/** the demo catalog for demo agencies A (西湖区) and B (南山区), read from the copied fixture files on each call */
export function demoCatalog(agencies: { readonly a: DemoAgency; readonly b: DemoAgency }): CatalogImport {
  const a: Agency = { uscc: agencies.a.uscc, name: agencies.a.name };
  const b: Agency = { uscc: agencies.b.uscc, name: agencies.b.name };
  const implemented = implementations(a, b);
  return {
    basicItems: basicItems(),
    implementations: implemented,
    lifeEvents: LIFE_EVENTS,
    policies: POLICIES,
    halls: halls(a, b, implemented),
    negativeList: fixture<NegativeList>('negative-list-2024.json'),
  };
}
