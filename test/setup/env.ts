// The test entry point: decorator metadata for type-graphql and TypeORM, like src/main.ts.
import "reflect-metadata";

// Test processes never read the developer's own environment by accident: only what a suite sets.
process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? "silent";
