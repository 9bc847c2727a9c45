// Debian's Chromium, driven through playwright-core (which downloads no browser): what the browser
// tests launch (`apt-get install chromium`, or CHROMIUM_PATH).
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { environment } from '#lib/service/env.ts';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export async function launchChromium(): Promise<Browser> {
  const executablePath = environment().CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(`No Chromium at ${executablePath}: install it (apt-get install chromium) or set CHROMIUM_PATH.`);
  }
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}
