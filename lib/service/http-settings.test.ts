import { describe, expect, it } from 'vitest';
import { httpSettingsFromEnv } from './http-settings.ts';

describe('TRUST_PROXY', () => {
  it('believes no proxy when unset, empty or false', () => {
    for (const value of [undefined, '', 'false']) expect(httpSettingsFromEnv({ TRUST_PROXY: value }).trustProxy).toBe(false);
  });

  it('takes a hop count', () => {
    expect(httpSettingsFromEnv({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
  });

  it('takes addresses, subnets and named ranges, comma-separated', () => {
    expect(httpSettingsFromEnv({ TRUST_PROXY: '10.0.0.0/8, 192.168.1.7,fd00::/8 ,loopback' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '192.168.1.7',
      'fd00::/8',
      'loopback',
    ]);
  });

  it('refuses true, naming the variable, the danger and the alternatives', () => {
    expect(() => httpSettingsFromEnv({ TRUST_PROXY: 'true' })).toThrow(
      /^Invalid HTTP settings: TRUST_PROXY must not be true: it would believe whatever X-Forwarded-For a client sends.*TRUST_PROXY=1.*TRUST_PROXY=10\.0\.0\.0\/8,loopback/,
    );
  });

  it.each(['yes', '10.0.0.0/33', '10.0.0', 'loopback,example.com', '::1/129', '10.0.0.1/8/8'])('refuses %j, naming what is wrong', (value) => {
    expect(() => httpSettingsFromEnv({ TRUST_PROXY: value })).toThrow(
      /TRUST_PROXY must name proxies by number or address: ".*" is not an address\. Set the number of proxies/,
    );
  });
});

describe('METRICS_PORT and METRICS_HOST', () => {
  it('serve /metrics on the service port unless METRICS_PORT is set, on 127.0.0.1 by default', () => {
    expect(httpSettingsFromEnv({}).metrics).toEqual({ port: undefined, host: '127.0.0.1' });
    expect(httpSettingsFromEnv({ METRICS_PORT: '' }).metrics.port).toBeUndefined();
    expect(httpSettingsFromEnv({ METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0' }).metrics).toEqual({ port: 9464, host: '0.0.0.0' });
  });

  it.each(['abc', '-1', '65536', '1.5'])('refuses METRICS_PORT=%j', (value) => {
    expect(() => httpSettingsFromEnv({ METRICS_PORT: value })).toThrow(/^Invalid HTTP settings: METRICS_PORT must be a port number between 0 and 65535 /);
  });
});
