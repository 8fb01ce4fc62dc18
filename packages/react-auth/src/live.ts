// Live connections for React apps: @tokenlane/core/live, re-exported so one package serves the app.
export * from '@tokenlane/core/live';
