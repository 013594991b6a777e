import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestPlatform, type TestPlatform } from '../support/local-platform.js';

/**
 * Relevance of unified search on the demo catalog: what citizens of 西湖区 type, in their own
 * words, and the services that must be among the first five hits (item codes, or life-event ids).
 * At least 90% of the queries must find all of theirs; the misses are printed.
 */
const CITIZEN_QUERIES: readonly { q: string; expect: readonly string[] }[] = [
  { q: '怎么开公司', expect: ['SC-XK-0001'] },
  { q: '我想注册一家公司', expect: ['SC-XK-0001'] },
  { q: '营业执照', expect: ['SC-XK-0001', 'SC-XK-0005'] },
  { q: '營業執照怎麼辦', expect: ['SC-XK-0001'] },
  { q: '开个小饭店要办什么证', expect: ['SC-XK-0007'] },
  { q: '公司不做了怎么注销', expect: ['SC-XK-0003'] },
  { q: '公司刻章', expect: ['GA-QT-0001'] },
  { q: '社保卡丢了', expect: ['RS-FW-0002'] },
  { q: '怎么办社保卡', expect: ['RS-FW-0001'] },
  { q: '生孩子要办什么', expect: ['xinshenger-chusheng'] },
  { q: '宝宝出生证明', expect: ['WJ-QR-0001'] },
  { q: '孩子上户口', expect: ['GA-QR-0005'] },
  { q: '护照', expect: ['YM-XK-0001'] },
  { q: '护照过期了怎么换', expect: ['YM-XK-0001'] },
  { q: '港澳通行证续签', expect: ['YM-XK-0002'] },
  { q: '公积金提取', expect: ['ZJ-FW-0002', 'ZJ-FW-0003'] },
  { q: '租房可以取公积金吗', expect: ['ZJ-FW-0003'] },
  { q: '驾照到期', expect: ['GA-XK-0001'] },
  { q: '驾驶证丢了怎么补', expect: ['GA-XK-0002'] },
  { q: '身份证过期了怎么换', expect: ['GA-QR-0002'] },
  { q: '身份证丢了', expect: ['GA-QR-0003'] },
  { q: '领结婚证需要什么材料', expect: ['MZ-QR-0001'] },
  { q: '退休手续怎么办', expect: ['RS-QR-0004'] },
  { q: '失业金怎么领', expect: ['RS-GF-0003'] },
  { q: '二手房过户', expect: ['ZR-QR-0002'] },
  { q: '异地看病报销', expect: ['YB-FW-0001'] },
  { q: '医药费报销', expect: ['YB-GF-0002'] },
  { q: '无犯罪记录证明', expect: ['GA-FW-0001'] },
  { q: '查征信', expect: ['RH-FW-0001'] },
  { q: '个税退税', expect: ['SW-ZS-0001'] },
  { q: '户口迁移', expect: ['GA-QR-0007'] },
  { q: '老板拖欠工资', expect: ['RS-QT-0002'] },
  { q: '上班受伤了怎么认定工伤', expect: ['RS-QR-0006'] },
  { q: '申请低保', expect: ['MZ-GF-0001'] },
  { q: '办残疾证', expect: ['CL-FW-0001'] },
  { q: '新车上牌', expect: ['GA-XK-0003'] },
  { q: '车辆年检', expect: ['GA-XK-0005'] },
  { q: '领养老金', expect: ['RS-GF-0001'] },
  { q: '小孩上小学报名', expect: ['JY-FW-0001'] },
  { q: '开药店', expect: ['YP-XK-0001'] },
  { q: '申请商标', expect: ['ZC-QR-0001'] },
  { q: '外地人办居住证', expect: ['GA-QR-0009'] },
  { q: '社保转到外地', expect: ['RS-FW-0003'] },
  { q: '房贷还清了解押', expect: ['ZR-QR-0004'] },
  { q: '网站备案', expect: ['GX-QT-0001'] },
  { q: '想开一家奶茶店', expect: ['SC-XK-0007'] },
  { q: '刚退伍有什么补助', expect: ['TY-GF-0001'] },
  { q: '家里老人去世了要办哪些手续', expect: ['shenhou'] },
  { q: '买二手房要交什么税', expect: ['SW-ZS-0002'] },
  { q: '考了教师资格证怎么认定', expect: ['JY-QR-0001'] },
  { q: '开诊所', expect: ['WJ-QT-0001'] },
  { q: '农村盖房子审批', expect: ['ZR-XK-0002'] },
  { q: '跑滴滴要什么证', expect: ['JT-XK-0002'] },
  { q: '公租房怎么申请', expect: ['ZJ-GF-0001'] },
  { q: '60岁老人证', expect: ['WJ-FW-0003'] },
  { q: '被公司辞退了', expect: ['RS-QT-0001'] },
  { q: '自己交养老保险', expect: ['RS-QR-0002'] },
  { q: '学历认证', expect: ['JY-FW-0002'] },
  { q: '开发票', expect: ['SW-QT-0001'] },
  { q: '结婚证丢了补办', expect: ['MZ-QR-0003'] },
];

const MIN_PASS_RATE = 0.9;

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(async () => {
  await platform?.close();
});

describe('search relevance on the demo catalog', () => {
  it(`finds the expected services in the top 5 for at least ${MIN_PASS_RATE * 100}% of ${CITIZEN_QUERIES.length} citizen queries`, async () => {
    const misses: string[] = [];
    for (const { q, expect: wanted } of CITIZEN_QUERIES) {
      const res = await platform.call('GET', `/v1/search?q=${encodeURIComponent(q)}&region=330106&size=5`);
      expect(res.status).toBe(200);
      const top = (res.body.hits as { code?: string; id?: string; name: string }[]).map((hit) => hit.code ?? hit.id);
      const missing = wanted.filter((key) => !top.includes(key));
      if (missing.length > 0) misses.push(`${q}: missing ${missing.join(', ')}; got ${(res.body.hits as { name: string }[]).map((hit, i) => `${top[i]} ${hit.name}`).join(' | ')}`);
    }
    const rate = (CITIZEN_QUERIES.length - misses.length) / CITIZEN_QUERIES.length;
    console.log(`relevance: ${CITIZEN_QUERIES.length - misses.length}/${CITIZEN_QUERIES.length} (${(rate * 100).toFixed(1)}%)${misses.length ? `\nmisses:\n  ${misses.join('\n  ')}` : ''}`);
    expect(CITIZEN_QUERIES.length).toBeGreaterThanOrEqual(30);
    expect(rate).toBeGreaterThanOrEqual(MIN_PASS_RATE);
  });
});
