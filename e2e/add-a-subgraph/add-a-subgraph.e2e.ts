// Adding a subgraph is one manifest entry plus the subgraph's own folders: this test follows
// docs/add-a-subgraph.md (the "Add a subgraph" steps of docs/schema-workflow.md) for a `reviews` subgraph. It writes
// the page's files into a scratch copy under .data/, appends the page's entry to a copy of the
// manifest, then runs each step as its npm script would, with the manifest and the entry as the
// only list of subgraphs: Prisma client, first migration, composition, resolver types, a type
// check, and the stack serving the new subgraph through the gateway beside the other three.
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { generate } from '@graphql-codegen/cli';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subgraphResolverTypes } from '../../codegen.ts';
import { generatePrismaClient } from '../../prisma/generate.ts';
import { databaseUrlEnv, databaseUrlOn, ensureDatabasesExist } from '../../prisma/postgres.ts';
import { writeMigration } from '../../prisma/schema-engine.ts';
import { composeSupergraph } from '../../schema/compose.ts';
import { freePorts, startStack, type Stack } from '../../scripts/stack.ts';
import { REPO_ROOT, SUBGRAPHS, type SubgraphEntry } from '../../subgraphs/manifest.ts';
import { postGraphQL, testDatabaseUrls } from '../../test/graphql.ts';

const repo = fileURLToPath(REPO_ROOT);
const require = createRequire(import.meta.url);

/** The page's code blocks: files by the path on their first line, and the query of its last step. */
async function readGuide() {
  const page = await readFile(path.join(repo, 'docs/add-a-subgraph.md'), 'utf8');
  const files = new Map<string, string>();
  const queries: string[] = [];
  for (const [, language, code] of page.matchAll(/```(\w+)\n([\s\S]*?)```/g)) {
    const [firstLine = '', ...rest] = code!.split('\n');
    const file = /^(?:\/\/|#) ([\w./-]+\.\w+)$/.exec(firstLine)?.[1];
    if (file) files.set(file, file === 'subgraphs/manifest.ts' ? rest.join('\n') : code!);
    else if (language === 'graphql') queries.push(code!);
  }
  return { files, query: queries.at(-1)! };
}

/** The entry with its paths moved into the scratch folder (`dir`, from the repository root). */
function inScratch(entry: SubgraphEntry, dir: string): SubgraphEntry {
  const moved = (file: string) => `${dir}/${file}`;
  return {
    ...entry,
    schema: moved(entry.schema),
    definition: moved(entry.definition),
    main: moved(entry.main),
    prismaSchema: moved(entry.prismaSchema),
    resolverTypes: { ...entry.resolverTypes, file: moved(entry.resolverTypes.file) },
  };
}

async function onServer(url: string, sql: string) {
  const admin = new pg.Client({ connectionString: databaseUrlOn(url, 'postgres') });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

let scratch: string;
let reviews: SubgraphEntry;
let reviewsUrl: string;
let query: string;
let stack: Stack<string> | undefined;
const log: string[] = [];

beforeAll(async () => {
  await mkdir(path.join(repo, '.data'), { recursive: true });
  scratch = await mkdtemp(path.join(repo, '.data', 'add-a-subgraph-'));
  const guide = await readGuide();
  query = guide.query;
  // Step 1: the entry, appended to SUBGRAPHS in a copy of the manifest (its type checks the entry).
  const manifest = await readFile(path.join(repo, 'subgraphs/manifest.ts'), 'utf8');
  guide.files.set('subgraphs/manifest.ts', manifest.replace('\n] as const satisfies', `\n${guide.files.get('subgraphs/manifest.ts')}] as const satisfies`));
  for (const [file, content] of guide.files) {
    await mkdir(path.dirname(path.join(scratch, file)), { recursive: true });
    await writeFile(path.join(scratch, file), content);
  }
  const extended = (await import(pathToFileURL(path.join(scratch, 'subgraphs/manifest.ts')).href)) as { SUBGRAPHS: SubgraphEntry[] };
  reviews = inScratch(extended.SUBGRAPHS.at(-1)!, path.relative(repo, scratch));
  // Its own database beside this test file's copies of the others.
  const usersUrl = testDatabaseUrls().users;
  reviewsUrl = databaseUrlOn(usersUrl, `${new URL(usersUrl).pathname.slice(1)}_${reviews.database}`);
  await onServer(reviewsUrl, `DROP DATABASE IF EXISTS "${new URL(reviewsUrl).pathname.slice(1)}" WITH (FORCE)`);
});

afterAll(async () => {
  await stack?.stop();
  await onServer(reviewsUrl, `DROP DATABASE IF EXISTS "${new URL(reviewsUrl).pathname.slice(1)}" WITH (FORCE)`);
  await rm(scratch, { recursive: true, force: true });
});

describe('a fourth subgraph, added as docs/add-a-subgraph.md says', () => {
  it('is one entry more in the manifest, with the next port and variables of its own', () => {
    expect(reviews).toMatchObject({ name: 'reviews', port: 4004, database: 'reviews', env: { databaseUrl: 'REVIEWS_DATABASE_URL' } });
  });

  it('gets its Prisma client and its first migration (npm run db:generate, db:migrate -- --create init)', async () => {
    generatePrismaClient(reviews);
    await ensureDatabasesExist({ reviews: reviewsUrl });
    const migration = await writeMigration(reviews, reviewsUrl, 'init');
    expect(path.basename(migration!)).toMatch(/^\d{14}_init$/);
    expect(await readFile(path.join(migration!, 'migration.sql'), 'utf8')).toContain('CREATE TABLE "Review"');
    expect(await readFile(path.join(migration!, '../migration_lock.toml'), 'utf8')).toContain('provider = "postgresql"');
  }, 120_000);

  it('composes with the other three (npm run schema:compose)', async () => {
    const { supergraphSdl, apiSchemaSdl } = composeSupergraph([...SUBGRAPHS, reviews]);
    expect(supergraphSdl).toContain('REVIEWS @join__graph(name: "reviews", url: "http://localhost:4004/graphql")');
    expect(apiSchemaSdl).toContain('  review(\n    """The review\'s id."""\n    id: ID!\n  ): Review\n');
    await writeFile(path.join(scratch, 'supergraph.graphql'), supergraphSdl);
  });

  it('gets resolver types that its code type checks against (npm run codegen, npm run typecheck)', async () => {
    await generate({ overwrite: true, silent: true, generates: subgraphResolverTypes([reviews]) }, true);
    await writeFile(
      path.join(scratch, 'tsconfig.json'),
      JSON.stringify({ extends: path.relative(scratch, path.join(repo, 'tsconfig.json')), include: ['subgraphs'] }),
    );
    const tsc = promisify(execFile)(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', scratch]);
    await expect(tsc.catch((error: unknown) => Promise.reject(new Error((error as { stdout: string }).stdout)))).resolves.toBeDefined();
  }, 120_000);

  it('is migrated and served by npm start, through the gateway, across the other subgraphs', async () => {
    const subgraphs = [...SUBGRAPHS, reviews];
    stack = await startStack({
      subgraphs,
      ports: freePorts(subgraphs),
      supergraphPath: path.join(scratch, 'supergraph.graphql'),
      database: { env: { ...databaseUrlEnv(testDatabaseUrls()), [reviews.env.databaseUrl]: reviewsUrl } },
      seed: false,
      log: (line) => log.push(line),
    });
    expect(log).toContainEqual(expect.stringMatching(/^reviews: applied migrations \d{14}_init$/));
    const db = new pg.Client({ connectionString: reviewsUrl });
    await db.connect();
    await db.query(`INSERT INTO "Review" ("productId", "authorId", stars, text) VALUES (1, 1, 5, 'Sturdy and quiet.')`);
    await db.end();

    const { body } = await postGraphQL(stack.gateway.url, query);
    const product = await postGraphQL(stack.gateway.url, '{ product(id: "1") { name } }');
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      review: { stars: 5, text: 'Sturdy and quiet.', author: { name: 'Ada Admin' }, product: { name: product.body.data!.product.name } },
    });
  }, 120_000);

  it('runs on its own from its entry point (a container)', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repo, reviews.main)], {
      env: { ...process.env, [reviews.env.databaseUrl]: reviewsUrl, PORT: '0', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let output = '';
        child.stdout.on('data', (chunk) => {
          output += chunk;
          const listening = /"url":"([^"]+)"[^\n]*"msg":"reviews listening"/.exec(output);
          if (listening) resolve(listening[1]!);
        });
        child.once('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
      });
      const { body } = await postGraphQL(url, '{ review(id: "1") { stars } }');
      expect(body).toEqual({ data: { review: { stars: 5 } } });
    } finally {
      child.kill('SIGTERM');
    }
  }, 60_000);
});
