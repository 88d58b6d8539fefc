import { Field, ID, InputType, Int, ObjectType } from "type-graphql";
import { ConnectionStatus, SystemKind } from "./enums";

@ObjectType()
export class Connection {
  @Field(() => ID) id!: string;
  @Field(() => SystemKind) system!: SystemKind;
  @Field(() => ConnectionStatus) status!: ConnectionStatus;
  @Field({
    description: "non-secret identity: Ecwid store id, or the CCV shop host and its webshop (store) id",
  })
  label!: string;
  @Field({
    description:
      "credentials as shown to users: identities in full, secrets only as a prefix and length (e.g. secret_ab… (32 chars)); never enough to rebuild a secret",
  })
  maskedCredentials!: string;
  @Field(() => Date, { nullable: true }) lastCheckedAt!: Date | null;
  @Field(() => String, { nullable: true }) lastError!: string | null;
}

@ObjectType()
export class ConnectionCheck {
  @Field(() => SystemKind) system!: SystemKind;
  @Field() ok!: boolean;
  @Field() message!: string;
  @Field() checkedAt!: Date;
}

/** Flows, flow(kind) and the connections are resolved by IntegrationResolver field resolvers. */
@ObjectType()
export class Integration {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field() createdAt!: Date;
}

@InputType()
export class EcwidCredentialsInput {
  @Field(() => Int) storeId!: number;
  @Field({ description: "secret_... access token" }) token!: string;
  @Field(() => String, {
    nullable: true,
    description: "the app's client_secret; needed to verify Ecwid webhook signatures",
  })
  clientSecret?: string | null;
  @Field(() => String, { nullable: true, description: "defaults to https://app.ecwid.com/api/v3" })
  apiBaseUrl?: string | null;
}

@InputType()
export class CcvCredentialsInput {
  @Field({
    description: "the shop's base URL, e.g. https://myshop.ccvshop.nl (the /api/rest/v1 prefix is added)",
  })
  baseUrl!: string;
  @Field() publicKey!: string;
  @Field() secretKey!: string;
}

@InputType()
export class CreateIntegrationInput {
  @Field() name!: string;
  @Field(() => EcwidCredentialsInput) ecwid!: EcwidCredentialsInput;
  @Field(() => CcvCredentialsInput) ccv!: CcvCredentialsInput;
}
