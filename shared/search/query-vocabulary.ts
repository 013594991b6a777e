/**
 * The vocabulary both search indexes apply to what people type (the local index in its query
 * analysis, OpenSearch in its search analyzer), kept as data so the two stay alike:
 * - filler words of spoken questions that carry no meaning for matching (怎么办, 需要, 什么 …);
 * - colloquial words and their formal counterparts in service names (驾照 → 驾驶证, 丢 → 遗失,
 *   补办 …), a query term then matching any of them;
 * - domain words a general dictionary splits apart (个税, 上牌 …), so queries and documents cut alike.
 * It describes how citizens speak about public services in general, not any one catalog; each
 * item's own aliases stay on the item (indexed as its alternative names).
 */

/** Words dropped from a query before matching (a query made only of them matches nothing). */
export const QUERY_STOP_WORDS: readonly string[] = [
  '怎么', '怎么办', '怎样', '怎么样', '如何', '什么', '哪些', '哪里', '哪儿', '在哪', '在哪里', '哪个',
  '要', '需要', '想', '想要', '我', '我们', '我的', '你', '您', '了', '吗', '呢', '啊', '吧', '呀', '的', '得', '地',
  '能', '能不能', '可以', '可不可以', '会', '去', '到', '办', '弄', '搞', '请问', '一下', '多少', '多久', '几天',
  '流程', '材料', '个', '一个', '一家', '快', '被', '给', '在', '和', '与', '及', '或', '还', '就', '都', '又',
];

/**
 * Colloquial term → formal terms it stands for. The key must be a single query term (as the
 * segmenter cuts it, see QUERY_DOMAIN_WORDS); each value may be several words.
 */
export const QUERY_SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  // life situations
  生孩子: ['出生', '新生儿', '生育'],
  生娃: ['出生', '新生儿', '生育'],
  生小孩: ['出生', '新生儿', '生育'],
  怀孕: ['生育'],
  宝宝: ['新生儿', '出生'],
  孩子: ['新生儿', '儿童'],
  小孩: ['新生儿', '儿童'],
  二胎: ['生育'],
  三胎: ['生育'],
  结婚: ['婚姻登记'],
  离婚: ['婚姻登记'],
  去世: ['死亡', '丧葬'],
  过世: ['死亡', '丧葬'],
  死亡: ['去世'],
  看病: ['就医', '医疗'],
  上学: ['入学'],
  搬家: ['迁移', '迁入'],
  // lost, broken, expired
  丢: ['遗失', '补领', '补办', '挂失', '补证'],
  丢失: ['遗失', '补领', '补办', '挂失', '补证'],
  掉: ['遗失', '补领', '补办'],
  遗失: ['补领', '补办', '补证', '丢失'],
  补办: ['补领', '补证', '补发', '补换'],
  坏: ['换领', '补换', '换证'],
  到期: ['换领', '换证', '换发', '有效期'],
  过期: ['换领', '换证', '换发', '有效期'],
  换: ['换领', '换证', '换发', '补换'],
  // documents and cards
  驾照: ['驾驶证'],
  行驶证: ['机动车'],
  车牌: ['注册登记', '上牌'],
  上牌: ['注册登记', '车牌'],
  房产证: ['不动产', '不动产登记'],
  房本: ['不动产'],
  出生证: ['出生医学证明'],
  户口: ['户籍', '户口'],
  落户: ['户口', '迁入', '出生登记'],
  暂住证: ['居住证'],
  良民证: ['无犯罪记录证明'],
  执照: ['营业执照', '登记'],
  // money and insurance
  社保: ['社会保险', '社会保障', '社保'],
  医保: ['医疗保险', '医保'],
  个税: ['个人所得税'],
  退税: ['汇算', '个人所得税'],
  交税: ['纳税', '申报'],
  养老金: ['养老保险', '待遇'],
  退休金: ['养老保险', '养老金'],
  失业金: ['失业保险金'],
  低保: ['最低生活保障'],
  工资: ['欠薪', '劳动保障'],
  拖欠工资: ['欠薪', '劳动保障'],
  欠薪: ['劳动保障'],
  辞退: ['劳动', '仲裁'],
  开除: ['劳动', '仲裁'],
  取: ['提取'],
  提: ['提取'],
  // businesses
  开: ['设立', '开办'],
  开店: ['个体工商户', '设立'],
  公司: ['企业'],
  企业: ['公司'],
  倒闭: ['注销'],
  关门: ['注销'],
  饭店: ['餐饮', '食品经营'],
  餐馆: ['餐饮', '食品经营'],
  饭馆: ['餐饮', '食品经营'],
  餐厅: ['餐饮', '食品经营'],
  小卖部: ['零售', '个体工商户'],
  便利店: ['零售', '个体工商户'],
  烟: ['烟草'],
  卖烟: ['烟草', '零售'],
  药店: ['药品零售'],
  刻章: ['公章', '刻制'],
  盖章: ['公章'],
  发票: ['发票'],
  外资: ['外商投资'],
  外企: ['外商投资'],
};

/** Words added to the segmenter's dictionary, so they are cut as one term on both sides. */
export const QUERY_DOMAIN_WORDS: readonly string[] = [
  '个税', '上牌', '解押', '社保', '医保', '驾照', '低保', '公租房', '网约车', '一件事', '生孩子', '生娃', '出生证',
  '拖欠工资', '房本', '良民证', '失业金', '退休金', '刻章', '卖烟', '开店', '二胎', '三胎',
];
