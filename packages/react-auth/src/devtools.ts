export { TokenlaneDevtools } from './devtools/TokenlaneDevtools.js';
export { createDevtoolsLog } from './devtools/devtoolsLog.js';

export type { TokenlaneDevtoolsProps } from './devtools/TokenlaneDevtools.js';
export type {
  CrossTabRecord,
  DevtoolsLog,
  DevtoolsLogOptions,
  DevtoolsSnapshot,
  NetworkObserver,
  NetworkRow,
  RefreshRecord,
} from './devtools/devtoolsLog.js';
