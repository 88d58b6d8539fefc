import { Field, InputType, ObjectType } from "type-graphql";

@ObjectType({
  description:
    "a product feature: which Ecwid product attribute (by name) is which CCV SalesPOS product property (group and property, by name); used by both product flows",
})
export class FeatureMapping {
  @Field({ description: 'the Ecwid product attribute name, e.g. "Country of origin" (case-insensitive)' })
  ecwidAttribute!: string;
  @Field({ description: "the CCV SalesPOS product property group (created when missing)" })
  ccvPropertyGroup!: string;
  @Field({ description: "the CCV SalesPOS product property in that group (created when missing)" })
  ccvProperty!: string;
}

@InputType()
export class FeatureMappingInput {
  @Field() ecwidAttribute!: string;
  @Field() ccvPropertyGroup!: string;
  @Field() ccvProperty!: string;
}
