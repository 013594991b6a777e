import { describe, expect, it } from '@jest/globals';
import { isSafePeerUrl, parsePeerPlatforms } from '../../shared/auth/peer-platforms.js';
import { App } from 'aws-cdk-lib';
import { settingsFromContext } from '../../infra/stacks/platform-settings.js';
import { loadConfig } from '../../shared/config.js';

const peer = {
  id: 'national',
  issuer: 'https://national.example',
  jwksUri: 'https://national.example/.well-known/jwks.json',
  audience: 'https://national.example/api',
  maxLevel: 4,
  allowFederatedAccounts: true,
};

describe('peer platform configuration (PEER_PLATFORMS)', () => {
  it('reads a JSON list of peers, and nothing when unset', () => {
    expect(parsePeerPlatforms(undefined)).toEqual([]);
    expect(parsePeerPlatforms('  ')).toEqual([]);
    expect(parsePeerPlatforms(JSON.stringify([{ ...peer, backchannelLogoutUri: 'https://national.example/logout' }]))).toEqual([
      { ...peer, backchannelLogoutUri: 'https://national.example/logout' },
    ]);
    expect(loadConfig({ ISSUER: 'https://gov.example', PEER_PLATFORMS: JSON.stringify([peer]) }).peerPlatforms).toEqual([peer]);
  });

  it('fails the cold start on a bad entry, naming the entry and field', () => {
    expect(() => parsePeerPlatforms('{')).toThrow('PEER_PLATFORMS is not valid JSON');
    expect(() => parsePeerPlatforms('{}')).toThrow('must be a JSON array');
    expect(() => parsePeerPlatforms(JSON.stringify([{ ...peer, jwksUri: 'http://national.example/jwks' }]))).toThrow('PEER_PLATFORMS[0].jwksUri must be an https URL');
    expect(() => parsePeerPlatforms(JSON.stringify([{ ...peer, maxLevel: 6 }]))).toThrow('PEER_PLATFORMS[0].maxLevel');
    expect(() => parsePeerPlatforms(JSON.stringify([{ ...peer, allowFederatedAccounts: 'yes' }]))).toThrow('allowFederatedAccounts');
    expect(() => parsePeerPlatforms(JSON.stringify([{ ...peer, id: 'Not Valid' }]))).toThrow('PEER_PLATFORMS[0].id');
    expect(() => parsePeerPlatforms(JSON.stringify([peer, { ...peer, id: 'other' }]))).toThrow('lists the issuer https://national.example twice');
    expect(() => loadConfig({ ISSUER: 'https://gov.example', PEER_PLATFORMS: '[1]' })).toThrow('PEER_PLATFORMS[0] must be an object');
  });

  it('allows plain http only on the loopback interface', () => {
    expect(isSafePeerUrl('https://peer.example/jwks')).toBe(true);
    expect(isSafePeerUrl('http://127.0.0.1:8080/jwks')).toBe(true);
    expect(isSafePeerUrl('http://localhost/jwks')).toBe(true);
    expect(isSafePeerUrl('http://[::1]:1/jwks')).toBe(true);
    expect(isSafePeerUrl('http://10.0.0.1/jwks')).toBe(false);
    expect(isSafePeerUrl('http://127.0.0.1.evil.example/jwks')).toBe(false);
    expect(isSafePeerUrl('ftp://peer.example')).toBe(false);
    expect(isSafePeerUrl('not a url')).toBe(false);
  });
});

describe('peer platforms of a deployment (cdk context peerPlatforms)', () => {
  it('come from cdk.json as a list or from -c as JSON text, checked like PEER_PLATFORMS', () => {
    expect(settingsFromContext(new App({ context: { peerPlatforms: [peer] } }).node).peerPlatforms).toEqual([peer]);
    expect(settingsFromContext(new App({ context: { peerPlatforms: JSON.stringify([peer]) } }).node).peerPlatforms).toEqual([peer]);
    expect(settingsFromContext(new App().node).peerPlatforms).toEqual([]);
    expect(() => settingsFromContext(new App({ context: { peerPlatforms: [{ ...peer, issuer: 'http://national.example' }] } }).node)).toThrow(
      'context peerPlatforms[0].issuer must be an https URL',
    );
  });
});

