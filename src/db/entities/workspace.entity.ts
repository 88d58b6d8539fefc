import { Entity, PrimaryColumn, Column } from "typeorm";
import { DateColumn } from "../columns";

@Entity("workspace")
export class WorkspaceEntity {
  @PrimaryColumn({ type: "varchar", length: 36 })
  id!: string;

  @Column({ type: "varchar", length: 200 })
  name!: string;

  @DateColumn("created_at")
  createdAt!: Date;
}
