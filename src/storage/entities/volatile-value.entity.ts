import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Counters keep only their latest value per namespace set: history of a counter is a usage sample's job. */
@Entity({ name: 'volatile_values' })
export class VolatileValueEntity {
  @PrimaryColumn({ name: 'namespace_id', type: 'integer' })
  namespaceId!: number;

  @PrimaryColumn({ name: 'key_id', type: 'integer' })
  keyId!: number;

  @Column({ name: 'value', type: 'text', nullable: true })
  value!: string | null;

  @Column({ name: 'read_at', type: 'integer' })
  readAt!: number;
}
