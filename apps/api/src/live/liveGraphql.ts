import { EventEmitter, on } from 'node:events';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { createRequire } from 'node:module';
import type * as GraphQL from 'graphql';
import { useServer as serveGraphqlWs } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { TodoChange } from './liveHub.js';
import type { LiveSocketOptions } from './liveSockets.js';
import { checkLiveToken, expiryTimer } from './liveToken.js';

// graphql 16 has no `exports` map: Node gives graphql-ws its CommonJS build, and a bundler or
// Vitest would give an `import` here its ES build, a second copy whose schema graphql-ws refuses
// ("from another module or realm"). Required, this module always shares graphql-ws's copy.
const {
  GraphQLBoolean,
  GraphQLInt,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
} = createRequire(import.meta.url)('graphql') as typeof GraphQL;

/** Where the GraphQL subscriptions endpoint (graphql-ws protocol) listens. */
export const GRAPHQL_PATH = '/api/graphql';
/**
 * graphql-ws's `Forbidden`: a refused or expired token. Its clients retry this code (not
 * `Unauthorized`, 4401, which they treat as final), with a fresh `connectionParams`.
 */
export const GRAPHQL_FORBIDDEN = 4403;

const str = { type: GraphQLString };
const TodoChangeType = new GraphQLObjectType({
  name: 'TodoChange',
  fields: {
    id: { type: new GraphQLNonNull(GraphQLInt) },
    change: { type: new GraphQLNonNull(GraphQLString) },
    todoId: { type: new GraphQLNonNull(GraphQLString) },
    title: str,
    done: { type: GraphQLBoolean },
  },
});

const view = ({ id, change, todo }: TodoChange) => ({
  id,
  change,
  todoId: todo.id,
  title: 'title' in todo ? todo.title : null,
  done: 'done' in todo ? todo.done : null,
});

/** Who a connection is, once its token is accepted. */
interface Authed {
  userId: string;
  expiry: ReturnType<typeof expiryTimer>;
}

/**
 * GraphQL subscriptions over WebSocket (`/api/graphql`, graphql-ws): `subscription {
 * todoChanged { id change todoId title done } }`. The token is `connectionParams.token`; a new
 * one comes in band as a `ping` whose payload is `{ token }` (the protocol lets a ping carry a
 * payload), so a rotation needs no reconnect. A refused token, another user's, or the last one
 * expiring closes with 4403.
 */
export function attachGraphqlLive(server: Server, options: LiveSocketOptions): () => void {
  const { tokens, hub, logger, now } = options;
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 });
  const authed = new WeakMap<WebSocket, Authed>();
  const accept = (socket: WebSocket, token: unknown, userId?: string) => {
    const claims = checkLiveToken(tokens, token, now(), logger);
    if (typeof claims === 'string' || (userId !== undefined && claims.sub !== userId)) {
      return false;
    }
    const known = authed.get(socket);
    const expiry =
      known?.expiry ?? expiryTimer(now, () => socket.close(GRAPHQL_FORBIDDEN, 'token expired'));
    expiry.at(claims.exp);
    authed.set(socket, { userId: claims.sub, expiry });
    return true;
  };
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: { live: { type: GraphQLBoolean } } }),
    subscription: new GraphQLObjectType({
      name: 'Subscription',
      fields: {
        todoChanged: {
          type: new GraphQLNonNull(TodoChangeType),
          subscribe: (_root, _args, userId: string) => {
            const emitter = new EventEmitter();
            const off = hub.subscribe(userId, (change) => emitter.emit('change', change));
            const iterator = on(emitter, 'change');
            const end = iterator.return!.bind(iterator);
            iterator.return = (value) => (off(), end(value));
            return iterator;
          },
          resolve: ([change]: [TodoChange]) => view(change),
        },
      },
    }),
  });
  const served = serveGraphqlWs(
    {
      schema,
      context: ({ extra }) => authed.get(extra.socket)?.userId,
      onConnect: ({ extra, connectionParams }) => accept(extra.socket, connectionParams?.token),
      onPing: ({ extra }, payload) => {
        const known = authed.get(extra.socket);
        if (known && payload && 'token' in payload) {
          if (!accept(extra.socket, payload.token, known.userId)) {
            extra.socket.close(GRAPHQL_FORBIDDEN, 'token refused');
          }
        }
      },
      onClose: ({ extra }) => authed.get(extra.socket)?.expiry.clear(),
    },
    sockets,
  );
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (new URL(req.url ?? '/', 'http://x').pathname !== GRAPHQL_PATH) return;
    sockets.handleUpgrade(req, socket, head, (ws) => sockets.emit('connection', ws, req));
  };
  server.on('upgrade', onUpgrade);
  return () => {
    server.off('upgrade', onUpgrade);
    void served.dispose();
  };
}
