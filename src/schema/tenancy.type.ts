import { Field, ID, ObjectType } from "type-graphql";
import { Role } from "./enums";

@ObjectType()
export class Workspace {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field() createdAt!: Date;
}

@ObjectType()
export class ApiKey {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field(() => Role) role!: Role;
  @Field({
    description: "first characters of the key, for recognising it; the secret itself is never readable again",
  })
  prefix!: string;
  @Field() createdAt!: Date;
  @Field(() => Date, { nullable: true }) lastUsedAt!: Date | null;
  @Field(() => Date, { nullable: true }) revokedAt!: Date | null;
}

@ObjectType()
export class CreatedApiKey {
  @Field(() => ApiKey) apiKey!: ApiKey;
  @Field({ description: "the full key, shown exactly once" }) secret!: string;
}

@ObjectType()
export class CreatedWorkspace {
  @Field(() => Workspace) workspace!: Workspace;
  @Field(() => CreatedApiKey, { description: "the workspace's first ADMIN key" }) adminKey!: CreatedApiKey;
}

@ObjectType()
export class Viewer {
  @Field(() => Workspace, { nullable: true }) workspace!: Workspace | null;
  @Field(() => Role, { nullable: true }) role!: Role | null;
  @Field({
    description: "true for the instance operator key (GATEWAY_ADMIN_TOKEN), which may create workspaces",
  })
  isInstanceAdmin!: boolean;
}
