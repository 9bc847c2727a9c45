// `npm run db:seed`: loads deterministic demo or benchmark data.
import { exitOnStartupError, optionsOrExit } from '#lib/service/startup-errors.ts';
import { openDatabases } from './postgres.ts';
import { migrateDatabases } from './schema-engine.ts';
import { demoDataRefusal, SCALES, seedDatabases, type ScaleName } from './seed.ts';

const HELP = `Usage: npm run db:seed [-- --scale demo|bench] [--reset]

Applies pending migrations, then fills the users, posts and orders databases with deterministic
data (the same scale always gives the same rows), dated over the year before 30 Nov 2026; only
the few unpaid (PENDING) orders are dated minutes before the seed runs, so they do not expire at
once. The bench scale reports each table's progress at every tenth.

  --scale demo   ${Object.entries(SCALES.demo)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ')} (default)
  --scale bench  ${Object.entries(SCALES.bench)
    .map(([k, v]) => `${v.toLocaleString('en')} ${k}`)
    .join(', ')}
  --reset        empty the tables first (without it, databases that hold data are left alone)
  -h, --help     show this text

Every seeded user has the published password "demo-password", so with NODE_ENV=production this
refuses, unless SEED_DEMO_DATA=true says the deployment is a throwaway demo.
Databases are found as for \`npm run db:migrate\` (see its --help).`;

const { values } = optionsOrExit(
  {
    options: {
      scale: { type: 'string', default: 'demo' },
      reset: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  },
  'npm run db:seed',
  HELP,
);
if (!(values.scale in SCALES)) {
  console.error(`Unknown --scale "${values.scale}"; use ${Object.keys(SCALES).join(' or ')}.`);
  process.exit(2);
}

const refusal = demoDataRefusal();
if (refusal) {
  console.error(refusal);
  process.exit(2);
}

const databases = await openDatabases({ log: console.log, joinRunningServer: true }).catch(exitOnStartupError);
try {
  await migrateDatabases(databases.urls);
  const seeded = await seedDatabases(databases.urls, {
    scale: SCALES[values.scale as ScaleName],
    reset: values.reset,
    log: console.log,
  });
  if (!seeded) console.log('The databases already hold data; nothing seeded. Add --reset to replace it.');
} finally {
  await databases.stop();
}
