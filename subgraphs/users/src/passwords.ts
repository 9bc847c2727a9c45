// argon2id password hashes (@node-rs/argon2's defaults: 19 MiB, 2 passes, OWASP's baseline).
import { hash, verify } from '@node-rs/argon2';

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

// Checked against when the email is unknown, so that both failures take the same time and the
// response time does not reveal which emails have accounts.
let decoyHash: Promise<string> | undefined;

export async function passwordMatches(passwordHash: string | undefined, password: string): Promise<boolean> {
  decoyHash ??= hash('decoy password that matches nothing');
  const matches = await verify(passwordHash ?? (await decoyHash), password);
  return passwordHash !== undefined && matches;
}
