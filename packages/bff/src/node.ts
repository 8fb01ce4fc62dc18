export { toNodeHandler, toWebRequest, writeWebResponse } from './nodeHandler.js';
export { proxyWebSockets } from './webSockets.js';
