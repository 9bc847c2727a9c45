// The gateway in-process, in front of stand-in subgraphs on local ports (no databases): what its
// calls to the subgraphs carry, when they are retried, when the circuit opens, and that nothing
// goes on after the operation's deadline.
import { setTimeout as sleep } from 'node:timers/promises';
import { register } from 'prom-client';
import { describe, expect, it, vi } from 'vitest';
import { BOB, CAROL, bearer } from '../../../test/auth.ts';
import { answerWith, dropConnection, hang, useGatewayOverFakeSubgraphs, type Answer } from '../../../test/fake-subgraph.ts';
import { postGraphQL } from '../../../test/graphql.ts';
import type { GatewayOptions } from '../gateway.ts';
import { DEFAULT_LIMITS } from '../limits/settings.ts';

const postQuery = '{ post(id: "1") { title } }';
const aPost = answerWith({ data: { post: { title: 'Hello' } } });

const { subgraphs, gatewayWith: startOverFakes } = useGatewayOverFakeSubgraphs();

function gatewayWith(options: { resilience?: Partial<NonNullable<GatewayOptions['resilience']>>; operationTimeoutMs?: number } = {}) {
  return startOverFakes({
    limits: { ...DEFAULT_LIMITS, rateLimit: false, operationTimeoutMs: options.operationTimeoutMs ?? DEFAULT_LIMITS.operationTimeoutMs },
    resilience: { timeoutMs: 3_000, retries: 2, retryBackoffMs: 10, breakerFailures: 5, breakerResetMs: 10_000, dedupe: true, ...options.resilience },
    cache: false,
  });
}

/** Answers with `first` once, then with `then`. */
function once(first: Answer, then: Answer): Answer {
  let used = false;
  return (request, response) => {
    const answer = used ? then : first;
    used = true;
    answer(request, response);
  };
}

describe('Apollo usage telemetry', () => {
  it('is off unless APOLLO_TELEMETRY=on: Apollo Gateway is told so before it starts', async () => {
    process.env.APOLLO_TELEMETRY_DISABLED = 'false';
    await gatewayWith();
    expect(process.env.APOLLO_TELEMETRY_DISABLED).toBe('true');
  });
});

describe('headers to the subgraphs', () => {
  it('carry the allow-listed ones only: authorization, cookie, the request id and the SQL debug switch', async () => {
    subgraphs.posts.answer = aPost;
    const gateway = await gatewayWith();
    const { authorization } = await bearer(BOB);
    const client = {
      authorization: authorization!,
      cookie: 'refresh_token=abc',
      'x-request-id': 'req-42',
      'x-debug-sql': '1',
      'x-api-key': 'secret-of-the-client',
      'x-forwarded-for': '198.51.100.7',
      'accept-language': 'fr',
      'x-custom': 'anything',
    };
    const { body } = await postGraphQL(gateway.url, postQuery, undefined, client);
    expect(body.data).toEqual({ post: { title: 'Hello' } });
    const [received] = subgraphs.posts.received;
    expect(received!.headers).toMatchObject({
      authorization: client.authorization,
      cookie: 'refresh_token=abc',
      'x-request-id': 'req-42',
      'x-debug-sql': '1',
    });
    expect(received!.headers).not.toHaveProperty('x-api-key');
    expect(received!.headers).not.toHaveProperty('x-forwarded-for');
    expect(received!.headers).not.toHaveProperty('x-custom');
    expect(received!.headers['accept-language']).not.toBe('fr');
  });

  it('send no SQL debug switch and no credentials the client did not send', async () => {
    subgraphs.posts.answer = aPost;
    const gateway = await gatewayWith();
    await postGraphQL(gateway.url, postQuery);
    const [received] = subgraphs.posts.received;
    expect(received!.headers).not.toHaveProperty('authorization');
    expect(received!.headers).not.toHaveProperty('cookie');
    expect(received!.headers).not.toHaveProperty('x-debug-sql');
    expect(received!.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('what a subgraph sends back beside its data', () => {
  it('passes its Set-Cookie to the client and adds up its SQL counts when they were asked for', async () => {
    subgraphs.posts.answer = answerWith(
      { data: { post: { title: 'Hello' } }, extensions: { sqlStatements: 3 } },
      { headers: { 'set-cookie': 'refresh_token=new; HttpOnly' } },
    );
    const gateway = await gatewayWith();
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-debug-sql': '1' },
      body: JSON.stringify({ query: postQuery }),
    });
    expect(response.headers.get('set-cookie')).toBe('refresh_token=new; HttpOnly');
    expect(await response.json()).toMatchObject({
      data: { post: { title: 'Hello' } },
      extensions: { sqlStatements: { users: 0, posts: 3, orders: 0 } },
    });
  });
});

describe('the in-flight dedupe', () => {
  /** Holds every request until released, then answers each with a title naming who asked. */
  function titlesByCaller() {
    const held: (() => void)[] = [];
    subgraphs.posts.answer = (request, response) =>
      held.push(() => answerWith({ data: { post: { title: `for ${request.headers.authorization ?? 'anonymous'}` } } })(request, response));
    return () => held.splice(0).forEach((answer) => answer());
  }

  async function followers(): Promise<number> {
    const metric = await register.getSingleMetric('subgraph_fetch_dedupe_total')!.get();
    return metric.values.filter((value) => value.labels.role === 'follower').reduce((sum, value) => sum + value.value, 0);
  }

  it('shares a fetch between concurrent operations of one caller only: two users with different tokens get their own data', async () => {
    const release = titlesByCaller();
    const gateway = await gatewayWith();
    const callers = [await bearer(BOB), await bearer(CAROL), {}];
    const before = await followers();
    const responses = Promise.all(callers.flatMap((headers) => [headers, headers]).map((headers) => postGraphQL(gateway.url, postQuery, undefined, headers)));
    // Released once the three fetches have arrived and the second operation of each caller has joined one.
    await vi.waitFor(
      async () => {
        expect(subgraphs.posts.received).toHaveLength(3);
        expect(await followers()).toBe(before + 3);
      },
      { timeout: 4_000, interval: 10 },
    );
    release();
    const titles = (await responses).map(({ body }) => (body.data?.post as { title: string } | undefined)?.title);
    const expected = callers.map((headers) => `for ${headers.authorization ?? 'anonymous'}`);
    expect(titles).toEqual(expected.flatMap((title) => [title, title]));
    expect(subgraphs.posts.received.map((request) => request.headers.authorization).sort()).toEqual(callers.map((headers) => headers.authorization).sort());
  });

  it('sends every fetch when it is off (UPSTREAM_DEDUPE=off)', async () => {
    const release = titlesByCaller();
    const gateway = await gatewayWith({ resilience: { dedupe: false } });
    const responses = Promise.all([postGraphQL(gateway.url, postQuery), postGraphQL(gateway.url, postQuery)]);
    await vi.waitFor(() => expect(subgraphs.posts.received).toHaveLength(2), { timeout: 5_000, interval: 10 });
    release();
    expect((await responses).map(({ body }) => body.data)).toEqual([{ post: { title: 'for anonymous' } }, { post: { title: 'for anonymous' } }]);
  });
});

describe('retries', () => {
  it('try a query again when its connection broke', async () => {
    subgraphs.posts.answer = once(dropConnection, aPost);
    const gateway = await gatewayWith();
    const { body } = await postGraphQL(gateway.url, postQuery);
    expect(body.data).toEqual({ post: { title: 'Hello' } });
    expect(subgraphs.posts.received).toHaveLength(2);
  });

  it('never replay a mutation: it may have taken effect', async () => {
    subgraphs.users.answer = once(dropConnection, answerWith({ data: { logIn: { accessToken: 'token' } } }));
    const gateway = await gatewayWith();
    const { body } = await postGraphQL(gateway.url, 'mutation { logIn(input: { email: "bob@example.com", password: "pw" }) { accessToken } }');
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'users' });
    expect(subgraphs.users.received).toHaveLength(1);
  });

  it('leave an HTTP error alone: it is an answer, not an outage', async () => {
    subgraphs.posts.answer = answerWith({ errors: [{ message: 'boom' }] }, { status: 500 });
    const gateway = await gatewayWith({ resilience: { breakerFailures: 2 } });
    for (let i = 0; i < 3; i++) expect((await postGraphQL(gateway.url, postQuery)).body.data).toEqual({ post: null });
    expect(subgraphs.posts.received).toHaveLength(3);
    // Three errors in a row, and the circuit is still closed.
    subgraphs.posts.answer = aPost;
    expect((await postGraphQL(gateway.url, postQuery)).body.data).toEqual({ post: { title: 'Hello' } });
  });
});

describe('the circuit breaker', () => {
  it('opens after network failures in a row, answering SUBGRAPH_UNAVAILABLE without calling, and closes when the subgraph is back', async () => {
    subgraphs.posts.answer = dropConnection;
    const gateway = await gatewayWith({ resilience: { retries: 0, breakerFailures: 2, breakerResetMs: 200 } });
    for (let i = 0; i < 2; i++) await postGraphQL(gateway.url, postQuery);
    expect(subgraphs.posts.received).toHaveLength(2);
    const { body } = await postGraphQL(gateway.url, postQuery);
    expect(body.data).toEqual({ post: null });
    expect(body.errors?.[0]).toMatchObject({
      message: 'The posts service is unavailable; its fields are null.',
      extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'posts' },
    });
    expect(subgraphs.posts.received).toHaveLength(2);

    subgraphs.posts.answer = aPost;
    let recovered = false;
    for (let i = 0; i < 30 && !recovered; i++) {
      await sleep(50);
      recovered = (await postGraphQL(gateway.url, postQuery)).body.data?.post != null;
    }
    expect(recovered).toBe(true);
  });
});

describe("the operation's deadline", () => {
  it('cancels the fetch of a late subgraph: the client gets what is ready and the subgraph sees the call end', async () => {
    subgraphs.posts.answer = hang;
    const gateway = await gatewayWith({ operationTimeoutMs: 300, resilience: { timeoutMs: 10_000 } });
    const { body } = await postGraphQL(gateway.url, postQuery);
    expect(body.data).toEqual({ post: null });
    expect(body.errors?.[0]?.extensions?.code).toBe('OPERATION_TIMEOUT');
    const [received] = subgraphs.posts.received;
    const ended = await Promise.race([received!.abandoned.then(() => 'ended'), sleep(2_000).then(() => 'still waiting')]);
    expect(ended).toBe('ended');
  });

  it('stops the retries too: no attempt starts after it', async () => {
    subgraphs.posts.answer = hang;
    const gateway = await gatewayWith({ operationTimeoutMs: 300, resilience: { timeoutMs: 100, retries: 20, retryBackoffMs: 10 } });
    const { body } = await postGraphQL(gateway.url, postQuery);
    expect(body.errors?.[0]?.extensions?.code).toBe('OPERATION_TIMEOUT');
    const attempts = subgraphs.posts.received.length;
    // Without the deadline's signal, attempts would go on every ~120 ms for seconds.
    await sleep(800);
    expect(subgraphs.posts.received).toHaveLength(attempts);
  });
});
