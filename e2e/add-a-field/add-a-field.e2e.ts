// "How to add a field" (docs/schema-workflow.md), followed as written in a copy of the repository (its steps
// change the schemas, write a migration and regenerate code): npm start running on the embedded
// PostgreSQL, the section's edits made, its commands run in order beside it, npm start restarted,
// and the new field answered through the gateway.
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postGraphQL } from '../../test/graphql.ts';
import { copyRepository, type RepositoryCopy } from '../../test/repo-copy.ts';
import { embeddedDatabaseEnv, startProcess, type StartedProcess } from '../../test/start-process.ts';

interface Edit {
  file: string;
  /** The line that opens the block the lines go in, e.g. "model Post". */
  block: string;
  lines: string;
}

/** The section's code blocks: the edits ("// <file>, in <block>:" on their first line) and the shell commands. */
async function readSection(): Promise<{ edits: Edit[]; commands: string[]; query: string }> {
  const page = await readFile('docs/schema-workflow.md', 'utf8');
  const start = page.indexOf('## How to add a field');
  const section = page.slice(start, page.indexOf('\n## ', start + 1));
  const edits: Edit[] = [];
  const commands: string[] = [];
  for (const [, indent, language, code] of section.matchAll(/^( *)```(\w+)\n([\s\S]*?)^\1```/gm)) {
    const lines = code!.split('\n').map((line) => line.slice(indent!.length));
    const target = /^(?:\/\/|#) ([\w./-]+), in (.+):$/.exec(lines[0]!);
    if (target) edits.push({ file: target[1]!, block: target[2]!, lines: lines.slice(1).join('\n') });
    else if (language === 'sh') commands.push(...lines.map((line) => line.replace(/\s+#.*$/, '').trim()).filter(Boolean));
  }
  const query = /the gateway answers `(\{.+\})`/.exec(section)?.[1];
  if (!query) throw new Error('The section no longer shows the query that the new field answers.');
  return { edits, commands, query };
}

/** A shell command as someone types it, in the copy: its exit code and output. */
function run(command: string, env: NodeJS.ProcessEnv, cwd: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(command, { shell: true, cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output })));
}

async function stop(server: StartedProcess) {
  server.child.kill('SIGINT');
  expect(await server.exited).toBe(0);
}

let clone: RepositoryCopy;
let env: NodeJS.ProcessEnv;
let server: StartedProcess | undefined;

beforeAll(async () => {
  clone = await copyRepository('add-a-field');
  env = embeddedDatabaseEnv(path.join(clone.dir, '.data/postgres'));
});

afterAll(async () => {
  server?.child.kill('SIGTERM');
  await server?.exited;
  await clone?.remove();
});

describe('"How to add a field" (docs/schema-workflow.md), followed with npm start running', () => {
  it('adds posts a slug, answered through the gateway', async () => {
    const { edits, commands, query } = await readSection();
    expect(edits.map(({ file }) => file)).toEqual(['prisma/posts/schema.prisma', 'subgraphs/posts/schema.graphql']);
    expect(commands[0]).toBe('npm run db:migrate -- --create add_post_slug');

    server = await startProcess(env, ['--no-web'], 150_000, { cwd: clone.dir });
    for (const { file, block, lines } of edits) {
      const target = path.join(clone.dir, file);
      const text = await readFile(target, 'utf8');
      const opening = new RegExp(`^${block}\\b.*\\{\\n`, 'm').exec(text);
      if (!opening) throw new Error(`No "${block}" block in ${file}.`);
      const at = opening.index + opening[0].length;
      await writeFile(target, `${text.slice(0, at)}${lines}${text.slice(at)}`);
    }
    for (const command of commands) {
      const { code, output } = await run(command, env, clone.dir);
      expect(code, `${command}:\n${output}`).toBe(0);
      if (command.startsWith('npm run db:migrate')) expect(output).toContain('Using the embedded PostgreSQL already running');
      if (command.includes('--create')) expect(output).toMatch(/posts: wrote prisma\/posts\/migrations\/\d{14}_add_post_slug\/migration\.sql/);
    }
    expect(await readFile(path.join(clone.dir, 'supergraph.graphql'), 'utf8')).toContain('slug: String');

    await stop(server);
    server = await startProcess(env, ['--no-web'], 150_000, { cwd: clone.dir });
    const pgPort = /on embedded PostgreSQL on 127\.0\.0\.1:(\d+)/.exec(server.output())![1];
    const db = new pg.Client({ connectionString: `postgresql://postgres:postgres@127.0.0.1:${pgPort}/posts` });
    await db.connect();
    try {
      await db.query(`UPDATE "Post" SET slug = 'hello-federation' WHERE id = 1`);
    } finally {
      await db.end();
    }
    const { body } = await postGraphQL(server.urlOf('GraphQL gateway'), query);
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ post: { title: expect.any(String), slug: 'hello-federation' } });
    await stop(server);
    server = undefined;
  }, 600_000);
});
