// Kept for 0.1 imports: this entry is @tokenlane/core/dpop.
export * from '@tokenlane/core/dpop';
