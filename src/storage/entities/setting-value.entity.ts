import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One value interval of one key in one namespace set: the value held from `validFrom` (inclusive) until
 * `validTo` (exclusive; null while it still holds). A null value means the key existed but could not be read.
 */
@Entity({ name: 'setting_values' })
export class SettingValueEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'namespace_id', type: 'integer' })
  namespaceId!: number;

  @Column({ name: 'key_id', type: 'integer' })
  keyId!: number;

  @Column({ name: 'value', type: 'text', nullable: true })
  value!: string | null;

  @Column({ name: 'valid_from', type: 'integer' })
  validFrom!: number;

  @Column({ name: 'valid_to', type: 'integer', nullable: true })
  validTo!: number | null;

  @Column({ name: 'opened_by', type: 'integer' })
  openedBy!: number;

  @Column({ name: 'closed_by', type: 'integer', nullable: true })
  closedBy!: number | null;
}
