import { GraphQLJSON } from "graphql-scalars";
import { Field, InputType, Int, ObjectType } from "type-graphql";
import { FieldWritePolicy, FlowKind, StockCalculation, ValueMapKind } from "./enums";

@ObjectType()
export class FieldMapping {
  @Field({
    description:
      "field path in the target system's API payload, e.g. description or customer.billingaddress.zipcode",
  })
  target!: string;
  @Field(() => String, {
    nullable: true,
    description: "field path in the source record; null when an expression is used",
  })
  source!: string | null;
  @Field(() => String, {
    nullable: true,
    description: "a JSONata expression evaluated against the source record",
  })
  expression!: string | null;
  @Field(() => GraphQLJSON, { nullable: true, description: "used when the source value is missing" })
  defaultValue!: unknown;
  @Field(() => FieldWritePolicy) policy!: FieldWritePolicy;
  @Field({ description: "true for a mapping that ships with the gateway, false for one a user set" })
  isDefault!: boolean;
}

@InputType()
export class FieldMappingInput {
  @Field() target!: string;
  @Field(() => String, { nullable: true }) source?: string | null;
  @Field(() => String, { nullable: true }) expression?: string | null;
  @Field(() => GraphQLJSON, { nullable: true }) defaultValue?: unknown;
  @Field(() => FieldWritePolicy, { nullable: true, defaultValue: FieldWritePolicy.ALWAYS })
  policy?: FieldWritePolicy | null;
}

@ObjectType()
export class ValueMapping {
  @Field(() => ValueMapKind) kind!: ValueMapKind;
  @Field() from!: string;
  @Field() to!: string;
}

@ObjectType({ description: "a code that recent items carried, for filling a value map" })
export class SeenValueCode {
  @Field() code!: string;
  @Field(() => Int, { description: "how many of the recent items carried it" }) count!: number;
  @Field() lastSeenAt!: Date;
}

@InputType()
export class ValueMappingInput {
  @Field() from!: string;
  @Field() to!: string;
}

@ObjectType()
export class FlowSettings {
  @Field(() => [String], {
    description: 'source statuses that qualify an order, e.g. ["PAID"] for Ecwid payment status; empty = all',
  })
  orderStatuses!: string[];
  @Field({ description: "book every order on one fixed debtor instead of creating/updating customers" })
  useDefaultDebtor!: boolean;
  @Field(() => String, { nullable: true, description: "e-mail (or CCV user id) of that default debtor" })
  defaultDebtor!: string | null;
  @Field({ description: "update records that already exist in the target (false: create missing ones only)" })
  updateExisting!: boolean;
  @Field(() => StockCalculation) stockCalculation!: StockCalculation;
  @Field({ description: "whether the target should track stock for synced products at all" })
  manageStock!: boolean;
  @Field(() => Date, {
    nullable: true,
    description:
      "only records created or changed after this moment are synced (first run backfills from here)",
  })
  startDate!: Date | null;
}

@InputType()
export class FlowSettingsInput {
  @Field(() => [String], { nullable: true }) orderStatuses?: string[] | null;
  @Field(() => Boolean, { nullable: true }) useDefaultDebtor?: boolean | null;
  @Field(() => String, { nullable: true }) defaultDebtor?: string | null;
  @Field(() => Boolean, { nullable: true }) updateExisting?: boolean | null;
  @Field(() => StockCalculation, { nullable: true }) stockCalculation?: StockCalculation | null;
  @Field(() => Boolean, { nullable: true }) manageStock?: boolean | null;
  @Field(() => Date, { nullable: true }) startDate?: Date | null;
}

@InputType()
export class FlowInput {
  @Field(() => Boolean, { nullable: true }) enabled?: boolean | null;
  @Field(() => String, {
    nullable: true,
    description: "cron expression (node-cron syntax) for scheduled runs; null clears the schedule",
  })
  schedule?: string | null;
  @Field(() => FlowSettingsInput, { nullable: true }) settings?: FlowSettingsInput | null;
}

/** fieldMappings, valueMappings and lastRun are resolved by FlowResolver field resolvers. */
@ObjectType()
export class Flow {
  /** not in the schema: which integration the flow belongs to */
  integrationId!: string;
  @Field(() => FlowKind) kind!: FlowKind;
  @Field() enabled!: boolean;
  @Field(() => String, { nullable: true }) schedule!: string | null;
  @Field(() => FlowSettings) settings!: FlowSettings;
}

@ObjectType({
  description: "why a mapping of a draft could not be used, with the position in its expression",
})
export class MappingProblem {
  @Field() target!: string;
  @Field() message!: string;
  @Field(() => Int, { nullable: true, description: "0-based character position in the expression" })
  position!: number | null;
}

@ObjectType()
export class MappingPreview {
  @Field(() => FlowKind) flow!: FlowKind;
  @Field() sourceId!: string;
  @Field(() => GraphQLJSON, { nullable: true }) sourcePayload!: unknown;
  @Field(() => GraphQLJSON, {
    nullable: true,
    description: "the target payload the current mappings produce",
  })
  targetPayload!: unknown;
  @Field(() => [String]) errors!: string[];
  @Field(() => [MappingProblem], {
    description: "draft mappings (the mappings argument) that were refused, with the error position",
  })
  problems!: MappingProblem[];
}
