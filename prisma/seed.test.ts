import { describe, expect, it } from 'vitest';
import { demoDataRefusal } from './seed.ts';

describe('demoDataRefusal', () => {
  it('lets development and tests seed', () => {
    expect(demoDataRefusal({})).toBeNull();
    expect(demoDataRefusal({ NODE_ENV: 'test' })).toBeNull();
  });

  it('refuses production, naming the risk and the opt-in', () => {
    expect(demoDataRefusal({ NODE_ENV: 'production' })).toMatch(/^NODE_ENV=production: no demo data seeded\. .*ADMIN.*SEED_DEMO_DATA=true/);
    expect(demoDataRefusal({ NODE_ENV: 'production', SEED_DEMO_DATA: 'false' })).not.toBeNull();
  });

  it('lets a demo deployment opt in, and refuses an opt-in it cannot read', () => {
    expect(demoDataRefusal({ NODE_ENV: 'production', SEED_DEMO_DATA: 'true' })).toBeNull();
    expect(() => demoDataRefusal({ NODE_ENV: 'production', SEED_DEMO_DATA: 'yes' })).toThrow('SEED_DEMO_DATA must be true or false (got "yes").');
  });
});
