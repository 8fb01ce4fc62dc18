export { toNodeHandler, toWebRequest, writeWebResponse } from './nodeHandler.js';
export { proxyWebSockets, type WebSocketProxyOptions } from './webSockets.js';
