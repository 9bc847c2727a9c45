import { describe, expect, it } from 'vitest';
import { childPagesLoader, countByParentLoader, rowsByIdLoader } from './loaders.ts';

interface Child {
  parentId: number;
  id: number;
}

function recordingChildren() {
  const calls: { parentIds: number[]; size: number }[] = [];
  const loader = (batch: boolean) =>
    childPagesLoader(
      { batch },
      (child: Child) => child.parentId,
      async (parentIds, page) => {
        calls.push({ parentIds, size: page.size });
        return parentIds.flatMap((parentId) => Array.from({ length: page.size }, (_, i) => ({ parentId, id: parentId * 100 + i })));
      },
    );
  return { calls, loader };
}

describe('childPagesLoader', () => {
  it('fetches the pages of all parents that ask for the same page in one call', async () => {
    const { calls, loader } = recordingChildren();
    const children = loader(true);
    const pages = await Promise.all([1, 2, 3].map((parentId) => children.load({ parentId, page: { size: 2 } })));
    expect(calls).toEqual([{ parentIds: [1, 2, 3], size: 2 }]);
    expect(pages[1]).toEqual([
      { parentId: 2, id: 200 },
      { parentId: 2, id: 201 },
    ]);
  });

  it('fetches each distinct page separately and never mixes their rows', async () => {
    const { calls, loader } = recordingChildren();
    const children = loader(true);
    const [small, large] = await Promise.all([children.load({ parentId: 1, page: { size: 1 } }), children.load({ parentId: 1, page: { size: 3 } })]);
    expect(calls).toHaveLength(2);
    expect(small).toHaveLength(1);
    expect(large).toHaveLength(3);
  });

  it('gives a parent without children an empty page', async () => {
    const children = childPagesLoader(
      { batch: true },
      (child: Child) => child.parentId,
      async () => [],
    );
    expect(await children.load({ parentId: 9, page: { size: 5 } })).toEqual([]);
  });

  it('runs one call per parent in the naive build', async () => {
    const { calls, loader } = recordingChildren();
    const children = loader(false);
    await Promise.all([1, 2, 3].map((parentId) => children.load({ parentId, page: { size: 2 } })));
    expect(calls.map((call) => call.parentIds)).toEqual([[1], [2], [3]]);
  });
});

describe('rowsByIdLoader and countByParentLoader', () => {
  it('answer in key order, with null and 0 for what the database lacks', async () => {
    const users = rowsByIdLoader({ batch: true }, async (ids) => ids.filter((id) => id !== 2).map((id) => ({ id })));
    expect(await users.loadMany([3, 2, 1])).toEqual([{ id: 3 }, null, { id: 1 }]);
    const counts = countByParentLoader({ batch: true }, async () => [{ parentId: 1, count: 4 }]);
    expect(await counts.loadMany([1, 2])).toEqual([4, 0]);
  });
});
