import { describe, expect, it } from 'vitest';
import { listenAddressFromEnv } from './service.ts';

describe('a subgraph run on its own', () => {
  it('listens on loopback by default, where only a gateway beside it can reach it', () => {
    expect(listenAddressFromEnv({}, 4003)).toEqual({ host: '127.0.0.1', port: 4003 });
  });

  it('listens where HOST and PORT say (0.0.0.0 in a container)', () => {
    expect(listenAddressFromEnv({ HOST: '0.0.0.0', PORT: '8080' }, 4003)).toEqual({ host: '0.0.0.0', port: 8080 });
  });

  it('refuses a PORT that is not a port, naming it', () => {
    expect(() => listenAddressFromEnv({ PORT: 'http' }, 4003)).toThrow('Invalid listen address: PORT must be a port number between 0 and 65535 (got "http").');
    expect(() => listenAddressFromEnv({ PORT: '70000' }, 4003)).toThrow(/PORT/);
  });
});
