import { DateTime } from '#lib/subgraph/scalars.ts';
import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { Comment } from './Comment.ts';
import { Mutation } from './Mutation.ts';
import { Post } from './Post.ts';
import { Query } from './Query.ts';
import { User } from './User.ts';

export const resolvers: Resolvers = { DateTime, Query, Mutation, User, Post, Comment };
