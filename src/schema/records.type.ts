import { Field, Float, ID, Int, ObjectType } from "type-graphql";
import { StockReservationState, SystemKind } from "./enums";
import { FieldChange, PageInfo, SyncItem } from "./run.type";

@ObjectType()
export class Money {
  @Field({ description: 'decimal string, never a float, e.g. "19.95"' }) amount!: string;
  @Field() currency!: string;
}

@ObjectType()
export class OptionValue {
  @Field() name!: string;
  @Field() value!: string;
}

@ObjectType({ description: "an order of the other system that the stock master has not booked yet" })
export class StockReservation {
  @Field(() => SystemKind, { description: "the system the sale happened in" }) system!: SystemKind;
  @Field(() => ID, { description: "the order's id in that system" }) orderId!: string;
  @Field(() => Float, { description: "the quantity of this SKU in the order" }) quantity!: number;
  @Field(() => StockReservationState) state!: StockReservationState;
  @Field(() => Date, {
    description:
      "since when the stock master has been waiting for this order: its first attempt in the order flow (a failed order stays reserved until it is booked or skipped), or when its run was queued",
  })
  since!: Date;
  @Field(() => Int, { description: "seconds since `since`, when read" }) ageSeconds!: number;
}

@ObjectType()
export class StockLevel {
  @Field() sku!: string;
  @Field(() => Float, {
    nullable: true,
    description: "quantity in Ecwid (null: product unknown there or unlimited)",
  })
  ecwid!: number | null;
  @Field() ecwidUnlimited!: boolean;
  @Field(() => Float, { nullable: true, description: "quantity in CCV SalesPOS (null: unknown there)" })
  ccv!: number | null;
  @Field(() => Float, {
    description:
      "quantity sold by the other system that the stock master has not booked yet (see StockCalculation)",
  })
  reserved!: number;
  @Field(() => Float, {
    nullable: true,
    description:
      "what the enabled stock flow would write to the other system with the configured StockCalculation",
  })
  computed!: number | null;
  @Field() inSync!: boolean;
  @Field(() => SystemKind, {
    nullable: true,
    description:
      "the stock master: the system whose stock flow is enabled (null: none is; the figures are then explained as if Ecwid were)",
  })
  master!: SystemKind | null;
  @Field(() => [StockReservation], { description: "the orders `reserved` comes from" })
  reservedOrders!: StockReservation[];
  @Field(() => Float, {
    description:
      "quantity in Ecwid's open checkouts (unfinished orders of the last day): not sold yet, so not reserved, but shown",
  })
  ecwidOpenCheckouts!: number;
}

@ObjectType()
export class ProductRecord {
  @Field(() => SystemKind) system!: SystemKind;
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) sku!: string | null;
  @Field() name!: string;
  @Field(() => Money, { nullable: true }) price!: Money | null;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => String, { nullable: true }) shortDescription!: string | null;
  @Field(() => String, { nullable: true }) ean!: string | null;
  @Field(() => Float, { nullable: true }) quantity!: number | null;
  @Field() enabled!: boolean;
  @Field(() => [ID]) categoryIds!: string[];
  @Field(() => Date, { nullable: true }) updatedAt!: Date | null;
}

@ObjectType()
export class Variant {
  @Field() sku!: string;
  @Field(() => [OptionValue]) options!: OptionValue[];
  @Field(() => ProductRecord, { nullable: true }) ecwid!: ProductRecord | null;
  @Field(() => ProductRecord, { nullable: true }) ccv!: ProductRecord | null;
  @Field(() => StockLevel) stock!: StockLevel;
}

@ObjectType()
export class Product {
  @Field() sku!: string;
  @Field() name!: string;
  @Field(() => ProductRecord, { nullable: true }) ecwid!: ProductRecord | null;
  @Field(() => ProductRecord, { nullable: true }) ccv!: ProductRecord | null;
  @Field({ description: "true when the gateway links the two records" }) linked!: boolean;
  @Field(() => [FieldChange], { description: "fields whose values differ between the two systems" })
  differences!: FieldChange[];
  @Field(() => [Variant]) variants!: Variant[];
  @Field(() => StockLevel) stock!: StockLevel;
}

@ObjectType()
export class ProductEdge {
  @Field() cursor!: string;
  @Field(() => Product) node!: Product;
}

@ObjectType()
export class ProductConnection {
  @Field(() => [ProductEdge]) edges!: ProductEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}

@ObjectType()
export class Address {
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field(() => String, { nullable: true }) companyName!: string | null;
  @Field(() => String, { nullable: true }) street!: string | null;
  @Field(() => String, { nullable: true }) houseNumber!: string | null;
  @Field(() => String, { nullable: true }) postalCode!: string | null;
  @Field(() => String, { nullable: true }) city!: string | null;
  @Field(() => String, { nullable: true }) countryCode!: string | null;
  @Field(() => String, { nullable: true }) phone!: string | null;
}

@ObjectType()
export class OrderLine {
  @Field(() => String, { nullable: true }) sku!: string | null;
  @Field() name!: string;
  @Field(() => Float) quantity!: number;
  @Field(() => Money) unitPrice!: Money;
  @Field(() => [OptionValue]) options!: OptionValue[];
}

@ObjectType()
export class OrderRecord {
  @Field(() => SystemKind) system!: SystemKind;
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) number!: string | null;
  @Field(() => String, { nullable: true }) status!: string | null;
  @Field(() => String, { nullable: true }) paymentStatus!: string | null;
  @Field(() => Money, { nullable: true }) total!: Money | null;
  @Field(() => Date, { nullable: true }) createdAt!: Date | null;
}

@ObjectType()
export class Order {
  @Field(() => ID, {
    description: "the gateway's key for the pair: ECWID:<id> or CCV_SALESPOS:<id> of the record first seen",
  })
  key!: string;
  @Field(() => String, { nullable: true }) email!: string | null;
  @Field(() => Address, { nullable: true }) billingAddress!: Address | null;
  @Field(() => Address, { nullable: true }) shippingAddress!: Address | null;
  @Field(() => [OrderLine]) lines!: OrderLine[];
  @Field(() => OrderRecord, { nullable: true }) ecwid!: OrderRecord | null;
  @Field(() => OrderRecord, { nullable: true }) ccv!: OrderRecord | null;
  @Field() linked!: boolean;
  @Field(() => SyncItem, { nullable: true }) lastSync!: SyncItem | null;
}

@ObjectType()
export class OrderEdge {
  @Field() cursor!: string;
  @Field(() => Order) node!: Order;
}

@ObjectType()
export class OrderConnection {
  @Field(() => [OrderEdge]) edges!: OrderEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}

@ObjectType()
export class CustomerRecord {
  @Field(() => SystemKind) system!: SystemKind;
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field(() => String, { nullable: true }) companyName!: string | null;
  @Field() isCompany!: boolean;
}

@ObjectType()
export class Customer {
  @Field() email!: string;
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field(() => String, { nullable: true }) companyName!: string | null;
  @Field() isCompany!: boolean;
  @Field(() => CustomerRecord, { nullable: true }) ecwid!: CustomerRecord | null;
  @Field(() => CustomerRecord, { nullable: true }) ccv!: CustomerRecord | null;
  @Field() linked!: boolean;
}

@ObjectType()
export class CustomerEdge {
  @Field() cursor!: string;
  @Field(() => Customer) node!: Customer;
}

@ObjectType()
export class CustomerConnection {
  @Field(() => [CustomerEdge]) edges!: CustomerEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}
