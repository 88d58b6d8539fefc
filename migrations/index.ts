import { Foundation1764300000000 } from "./1764300000000-foundation";

/** Every migration, in order. Listed explicitly (no globs) so ts-jest and the compiled build load the same set. */
export const MIGRATIONS = [Foundation1764300000000];
