import { Foundation1764300000000 } from "./1764300000000-foundation";
import { Engine1764400000000 } from "./1764400000000-engine";
import { RunWaiting1765100000000 } from "./1765100000000-run-waiting";
import { ConsoleActivity1765300000000 } from "./1765300000000-console-activity";
import { Operations1765400000000 } from "./1765400000000-operations";
import { CatalogIndex1765500100000 } from "./1765500100000-catalog-index";
import { IntentsAndRetries1765500200000 } from "./1765500200000-intents-and-retries";
import { StockReservations1765500500000 } from "./1765500500000-stock-reservations";
import { IntentRetention1765600000000 } from "./1765600000000-intent-retention";
import { MissingSkus1765600100000 } from "./1765600100000-missing-skus";

/** Every migration, in order. Listed explicitly (no globs) so ts-jest and the compiled build load the same set. */
export const MIGRATIONS = [
  Foundation1764300000000,
  Engine1764400000000,
  RunWaiting1765100000000,
  ConsoleActivity1765300000000,
  Operations1765400000000,
  CatalogIndex1765500100000,
  IntentsAndRetries1765500200000,
  StockReservations1765500500000,
  IntentRetention1765600000000,
  MissingSkus1765600100000,
];
