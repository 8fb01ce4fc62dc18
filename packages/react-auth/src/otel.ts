// Kept for 0.1 imports: this entry is @tokenlane/core/otel.
export * from '@tokenlane/core/otel';
