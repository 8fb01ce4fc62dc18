// @tokenlane/core/live: live connections (WebSocket, Server-Sent Events) that follow the session:
// one refresh per rotation for every connection, in-band re-authentication, a typed reason when
// the session ends.
export {
  live,
  type LiveCloseReason,
  type LiveConnection,
  type LiveConnections,
  type LiveSession,
} from './live/liveConnections.js';
export {
  authedWebSocket,
  CLOSE_OTHER_USER,
  CLOSE_UNAUTHORIZED,
  type AuthedWebSocket,
  type AuthedWebSocketOptions,
  type WebSocketLike,
} from './live/authedWebSocket.js';
export {
  authedEventSource,
  type AuthedEventSource,
  type AuthedEventSourceOptions,
  type ServerSentEvent,
} from './live/authedEventSource.js';
