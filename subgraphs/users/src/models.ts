import type { CountedConnection } from '#lib/subgraph/pagination.ts';
import type { User } from './__generated__/prisma/client.ts';

export type UserModel = User;
export type UserConnectionModel = CountedConnection<UserModel>;
