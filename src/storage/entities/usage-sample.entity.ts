import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A usage measure next to the limit it runs into, at one snapshot (DESIGN.md "limit pair"). */
@Entity({ name: 'usage_samples' })
export class UsageSampleEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'snapshot_id', type: 'integer' })
  snapshotId!: number;

  @Column({ name: 'namespace_id', type: 'integer' })
  namespaceId!: number;

  @Column({ name: 'metric', type: 'text' })
  metric!: string;

  @Column({ name: 'taken_at', type: 'integer' })
  takenAt!: number;

  @Column({ name: 'usage', type: 'real' })
  usage!: number;

  @Column({ name: 'limit_value', type: 'real' })
  limitValue!: number;
}
