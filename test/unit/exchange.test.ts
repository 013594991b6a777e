import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { createLocalKeyVault } from '../../shared/adapters/local/local-key-vault.js';
import { ValidationError } from '../../shared/errors.js';
import { batchDigest } from '../../shared/exchange/batch-digest.js';
import { DATASETS } from '../../shared/exchange/datasets.js';
import { canonicalJson, signatureProblem, signExchangeMessage } from '../../shared/exchange/envelope-signature.js';
import { parseExchangeFile, renderExchangeFile } from '../../shared/exchange/exchange-file-format.js';
import { batchManifest, recordEnvelope } from '../../shared/exchange/exchange-messages.js';
import { chinaDay, isOutboundQueue } from '../../shared/exchange/exchange-queues.js';
import { loadExchangeSettings } from '../../shared/exchange/exchange-settings.js';
import { reconcileArrivals } from '../../shared/exchange/reconcile-batch.js';
import { protectRecordData, revealRecordData } from '../../shared/exchange/record-protection.js';
import { recordProblems } from '../../shared/exchange/validate-record.js';
import { personalDataProtector } from '../../shared/privacy/personal-data.js';
import { AGENCY_USCC, itemData, manifestDigest } from '../support/exchange-batches.js';

const caseData = (overrides: Record<string, unknown> = {}) => ({
  caseNo: 'HZ-1',
  itemCode: 'SC-XK-0001',
  region: '330106',
  applicant: { type: 'natural', name: '张测试', idNumber: '330106199003071236' },
  phone: '13800000001',
  agencyUscc: AGENCY_USCC,
  state: 'approved',
  submittedAt: '2030-01-01T08:00:00+08:00',
  decidedAt: '2030-01-02T08:00:00+08:00',
  ...overrides,
});
const certificateData = (overrides: Record<string, unknown> = {}) => ({
  identifier: '1.2.156.3005.2.11100000000013338W001.11100000000013338W.20300101001.001.K',
  typeCode: '11100000000013338W001',
  name: '营业执照',
  holderName: '示例科技有限公司',
  holderCodeType: 'uscc',
  holderCode: '91330106MA2B3C4D5D',
  issuerName: '杭州市西湖区市场监督管理局',
  issuerUscc: AGENCY_USCC,
  issueDate: '2030-01-01',
  validUntil: '2040-01-01',
  region: '330106',
  ...overrides,
});
const evaluationData = (overrides: Record<string, unknown> = {}) => ({
  caseNo: 'HZ-1',
  itemCode: 'SC-XK-0001',
  region: '330106',
  agencyUscc: AGENCY_USCC,
  score: 5,
  channel: 'app',
  evaluatedAt: '2030-01-03T09:00:00+08:00',
  ...overrides,
});
/** the catalog as these tests need it: two published basic items */
const itemCodes = { exists: async (code: string) => ['SC-XK-0001', 'SC-XK-0002'].includes(code) };
const problemsOf = (dataset: keyof typeof DATASETS, data: Record<string, unknown>) => recordProblems({ itemCodes: itemCodes }, dataset, { id: 'r', op: 'upsert', version: 1, data });

describe('the manifest digest', () => {
  it('hashes "id:version" lines sorted by id then numerically by version', () => {
    const records = [
      { id: 'b', version: 2 },
      { id: 'a', version: 10 },
      { id: 'a', version: 9 },
    ];
    expect(batchDigest(records)).toBe(manifestDigest(records));
    expect(batchDigest([{ id: 'b', version: 2 }, { id: 'a', version: 1 }, { id: 'a', version: 3 }])).toBe(createHash('sha256').update('a:1\na:3\nb:2').digest('hex'));
    expect(batchDigest([])).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});

describe('signed messages', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = { ...(publicKey.export({ format: 'jwk' }) as { kty: 'EC'; crv: 'P-256'; x: string; y: string }), kid: 'k1' };
  const message = { source: 'hz-city', dataset: 'items', batchId: 'b', seq: 1, sentAt: '2030-01-01T00:00:00Z', records: [{ id: 'a', op: 'upsert', version: 1, data: { 名称: '值', n: 1.5 } }] };

  it('canonical JSON sorts members at every level and leaves no whitespace', () => {
    expect(canonicalJson({ b: 1, a: [{ d: null, c: 'x' }], e: undefined, f: '中' })).toBe('{"a":[{"c":"x","d":null}],"b":1,"f":"中"}');
  });

  it('verifies a signature over the message whatever its member order, and nothing else', () => {
    const signed = signExchangeMessage(message, privateKey, 'k1');
    expect(signed.signature).toMatch(/^[A-Za-z0-9_-]+\.\.[A-Za-z0-9_-]{86}$/);
    const reordered = Object.fromEntries(Object.entries(signed).reverse());
    expect(signatureProblem(reordered, [jwk])).toBeUndefined();
    expect(signatureProblem({ ...signed, seq: 2 }, [jwk])).toBe('the signature does not verify');
    expect(signatureProblem(signed, [{ ...jwk, kid: 'other' }])).toBe('the JWS names a key the source has not registered');
    expect(signatureProblem(message, [jwk])).toBe('the source signs its messages and this one has no signature');
    const noneHeader = Buffer.from('{"alg":"none","kid":"k1"}').toString('base64url');
    expect(signatureProblem({ ...message, signature: `${noneHeader}..AAAA` }, [jwk])).toBe('the JWS algorithm must be ES256');
  });
});

describe('dataset rules', () => {
  it('accepts a valid record of every dataset', async () => {
    expect(await problemsOf('items', itemData())).toEqual([]);
    expect(await problemsOf('cases', caseData())).toEqual([]);
    expect(await problemsOf('certificates', certificateData())).toEqual([]);
    expect(await problemsOf('evaluations', evaluationData())).toEqual([]);
  });

  it('names every failing field: code tables, check characters, ranges, cross-field rules, catalog references', async () => {
    expect(await problemsOf('items', itemData({ promisedDays: 30, legalDays: 20 }))).toEqual([{ field: 'data.promisedDays', message: 'must not exceed legalDays' }]);
    expect(await problemsOf('items', itemData({ itemCode: 'SC-XK-9999' }))).toEqual([{ field: 'data.itemCode', message: 'is not an item of the catalog' }]);
    expect(await problemsOf('items', itemData({ region: '33010' }))).toEqual([{ field: 'data.region', message: 'must be a GB/T 2260 region code (6 digits)' }]);
    expect(await problemsOf('cases', caseData({ applicant: { type: 'natural', name: '张测试', idNumber: '330106199003071235' } }))).toEqual([
      { field: 'data.applicant.idNumber', message: 'has a wrong check digit' },
    ]);
    expect(await problemsOf('cases', caseData({ applicant: { type: 'legal', name: '示例' } }))).toEqual([
      { field: 'data.applicant', message: 'a natural person needs idNumber, a legal person needs uscc' },
    ]);
    expect(await problemsOf('cases', caseData({ decidedAt: '2029-12-31T08:00:00+08:00' }))).toEqual([{ field: 'data.decidedAt', message: 'must not be before submittedAt' }]);
    expect(await problemsOf('certificates', certificateData({ holderCode: '91330106MA2B3C4D5E' }))).toEqual([{ field: 'data.holderCode', message: 'has a wrong check character' }]);
    expect((await problemsOf('evaluations', evaluationData({ score: 6, extra: 1 }))).map((issue) => issue.field).sort()).toEqual(['data.extra', 'data.score']);
  });

  it('needs data for an upsert, none for a delete', async () => {
    expect(await recordProblems({ itemCodes: itemCodes }, 'items', { id: 'r', op: 'upsert', version: 1 })).toEqual([{ field: 'data', message: 'is required for upsert' }]);
    expect(await recordProblems({ itemCodes: itemCodes }, 'items', { id: 'r', op: 'delete', version: 1 })).toEqual([]);
  });
});

describe('personal fields at rest', () => {
  it('are sealed with a masked copy, and shown in clear only where a grant names them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gsp-exchange-vault-'));
    try {
      const vault = createLocalKeyVault({ dir });
      const { keyId } = await vault.createSymmetricKey({ description: 'data' });
      const protector = personalDataProtector({ vault, dataKeyId: keyId, lookupKeyId: keyId });
      const stored = await protectRecordData(protector, 'cases', caseData());
      expect(JSON.stringify(stored)).not.toContain('330106199003071236');
      expect(JSON.stringify(stored)).not.toContain('13800000001');
      expect(await revealRecordData(protector, stored, [])).toMatchObject({ applicant: { name: '张**', idNumber: '3301**********1236' }, phone: '138****0001' });
      expect(await revealRecordData(protector, stored, ['applicant.idNumber'])).toMatchObject({ applicant: { idNumber: '330106199003071236' }, phone: '138****0001' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('exchange files', () => {
  it('reads CSV with a BOM, quoted fields, CRLF, typed columns, nested fields and deletes', () => {
    const csv = '\uFEFFid,version,op,name,promisedDays,fee,applicant.name\r\na-1,2,upsert,"say ""hi"", ok",3,true,张\r\nb,1,delete,,,,\r\n';
    const { records } = parseExchangeFile('csv', csv, 'items');
    expect(records).toEqual([
      { id: 'a-1', op: 'upsert', version: 2, data: { name: 'say "hi", ok', promisedDays: 3, fee: true, applicant: { name: '张' } } },
      { id: 'b', op: 'delete', version: 1 },
    ]);
  });

  it('names the lines and records it cannot read', () => {
    const read = (format: 'csv' | 'json', text: string) => {
      try {
        parseExchangeFile(format, text, 'items');
        return [];
      } catch (error) {
        return (error as ValidationError).issues.map((issue) => issue.field);
      }
    };
    expect(read('csv', 'id,version\nok-1,1\nbad id,x\n')).toEqual(['line 3.id', 'line 3.version']);
    expect(read('csv', 'name\nx\n')).toEqual(['line 1']);
    expect(read('json', '{"records":[{"id":"a","op":"upsert","version":-1}]}')).toEqual(['records.0.version']);
    expect(read('json', '{"records":[],"recordCount":1}')).toEqual(['file']);
  });

  it('takes the count and digest a JSON file declares', () => {
    const parsed = parseExchangeFile('json', JSON.stringify({ records: [{ id: 'a', op: 'delete', version: 1 }], recordCount: 1, digest: manifestDigest([{ id: 'a', version: 1 }]) }), 'items');
    expect(parsed.declared).toEqual({ recordCount: 1, digest: manifestDigest([{ id: 'a', version: 1 }]) });
  });

  it('writes CSV that a spreadsheet cannot run as a formula', () => {
    const csv = renderExchangeFile('csv', [{ id: 'a', version: 1, updatedAt: 't', data: { name: '=HYPERLINK("x")', nested: { n: 2 }, note: 'a,b' } }]);
    expect(csv).toBe('id,version,updatedAt,name,nested.n,note\r\na,1,t,"\'=HYPERLINK(""x"")",2,"a,b"\r\n');
  });
});

describe('reconciliation figures', () => {
  const arrival = (id: string, late = false) => ({ id, version: 1, seq: 1, outcome: 'accepted' as const, late });
  it('count what arrived before the close, and name missing messages up to the declared count', () => {
    const manifest = { recordCount: 3, digest: manifestDigest([{ id: 'a', version: 1 }, { id: 'b', version: 1 }, { id: 'c', version: 1 }]), messageCount: 4, receivedAt: '' };
    expect(reconcileArrivals({ manifest, seqs: [1, 3] }, [arrival('a'), arrival('b'), arrival('c', true)])).toMatchObject({ received: 2, missing: 1, mismatch: 0, missingSeqs: [2, 4] });
    expect(reconcileArrivals({ manifest, seqs: [1] }, [arrival('a'), arrival('b'), arrival('c')])).toMatchObject({ missing: 0, mismatch: 0, missingSeqs: [2, 3, 4] });
    expect(reconcileArrivals({ seqs: [2] }, [arrival('a')])).toMatchObject({ missing: null, mismatch: 0, missingSeqs: [1] });
  });
});

describe('settings and small rules', () => {
  it('reads the close wait, 10 minutes by default, and refuses nonsense', () => {
    expect(loadExchangeSettings({})).toEqual({ closeAfterMinutes: 10 });
    expect(loadExchangeSettings({ EXCHANGE_BATCH_CLOSE_MINUTES: '3' })).toEqual({ closeAfterMinutes: 3 });
    expect(() => loadExchangeSettings({ EXCHANGE_BATCH_CLOSE_MINUTES: '0' })).toThrow('EXCHANGE_BATCH_CLOSE_MINUTES');
  });

  it('days are China Standard Time; outbound queues are the manifest exchange-outbound ones', () => {
    expect(chinaDay(new Date('2030-01-01T15:59:59Z'))).toBe('2030-01-01');
    expect(chinaDay(new Date('2030-01-01T16:00:00Z'))).toBe('2030-01-02');
    expect(isOutboundQueue('exchange-outbound-zj-regional')).toBe(true);
    expect(isOutboundQueue('notifications')).toBe(false);
    expect(isOutboundQueue('exchange-outbound-nowhere')).toBe(false);
  });
});

describe('events/sqs/exchange-inbound.json', () => {
  it('carries a valid record envelope and its manifest, whose digest matches the records', async () => {
    const event = JSON.parse(await readFile(new URL('../../events/sqs/exchange-inbound.json', import.meta.url), 'utf8'));
    const [records, declared] = event.Records.map((record: { body: string }) => JSON.parse(record.body));
    const envelope = recordEnvelope.parse(records);
    const manifest = batchManifest.parse(declared);
    expect(manifest.digest).toBe(batchDigest(envelope.records));
    for (const record of envelope.records.filter((r) => r.op === 'upsert')) expect(await problemsOf('items', record.data!)).toEqual([]);
  });
});
