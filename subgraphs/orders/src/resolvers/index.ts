import { DateTime } from '#lib/subgraph/scalars.ts';
import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { Mutation } from './Mutation.ts';
import { Order } from './Order.ts';
import { OrderItem } from './OrderItem.ts';
import { Product } from './Product.ts';
import { Query } from './Query.ts';
import { User } from './User.ts';

export const resolvers: Resolvers = { DateTime, Query, Mutation, User, Product, Order, OrderItem };
