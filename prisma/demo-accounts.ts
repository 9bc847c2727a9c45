// The documented demo accounts (README), apart from the seed so that the explorer's sign-in panel
// (web/explorer), a browser bundle, can list them without the seed's database code.

/** Every seeded user's password. */
export const DEMO_PASSWORD = 'demo-password';

export const DEMO_ACCOUNTS = [
  { name: 'Ada Admin', email: 'ada@example.com', role: 'ADMIN' },
  { name: 'Bob Buyer', email: 'bob@example.com', role: 'USER' },
  { name: 'Carol Writer', email: 'carol@example.com', role: 'USER' },
] as const;
