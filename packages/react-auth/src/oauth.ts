// Kept for 0.1 imports: this entry is @tokenlane/core/oauth.
export * from '@tokenlane/core/oauth';
