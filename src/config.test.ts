import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('runs with no configuration', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      host: '127.0.0.1',
      port: 3000,
      dataDir: path.resolve('./data'),
      demoSeed: true,
      smtpUrl: null,
      publicUrl: 'http://127.0.0.1:3000',
    });
  });

  it('reads overrides', () => {
    const c = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATA_DIR: '/srv/lmp',
      DEMO_SEED: 'false',
      PUBLIC_URL: 'https://tiaojie.example.cn/',
    });
    expect(c).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      dataDir: '/srv/lmp',
      demoSeed: false,
      publicUrl: 'https://tiaojie.example.cn',
    });
  });

  it('lists every problem at once', () => {
    try {
      loadConfig({ PORT: 'eighty', DATA_KEY: 'short', LOG_LEVEL: 'loud', DEMO_SEED: 'maybe' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).problems.join('\n');
      for (const name of ['PORT', 'DATA_KEY', 'LOG_LEVEL', 'DEMO_SEED']) expect(problems).toContain(name);
    }
  });

  it('reads TRUST_PROXY as false or a list of proxy addresses, and refuses "true" and hop counts', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, ::1,loopback' }).trustProxy).toBe('10.0.0.0/8,::1,loopback');
    for (const bad of ['true', '1', '10.0.0.0/33', 'proxy.example.cn'])
      expect(() => loadConfig({ TRUST_PROXY: bad })).toThrow(/TRUST_PROXY/);
  });

  it('takes the signing key file configured, and refuses one that does not exist', () => {
    expect(loadConfig({})).toMatchObject({ signingP12File: null, signingP12Passphrase: '' });
    const file = path.resolve('package.json');
    expect(loadConfig({ SIGNING_P12_FILE: file, SIGNING_P12_PASSPHRASE: 'p' })).toMatchObject({
      signingP12File: file,
      signingP12Passphrase: 'p',
    });
    expect(() => loadConfig({ SIGNING_P12_FILE: '/nowhere/signing.p12' })).toThrow(/SIGNING_P12_FILE/);
  });
});
