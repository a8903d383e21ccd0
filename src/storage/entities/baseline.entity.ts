import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A bundle exported from another host and imported under a name (DESIGN.md "baseline"). */
@Entity({ name: 'baselines' })
export class BaselineEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  /** Unique; `^[A-Za-z0-9._-]{1,64}$`. */
  @Column({ name: 'name', type: 'text' })
  name!: string;

  @Column({ name: 'imported_at', type: 'integer' })
  importedAt!: number;

  /** kernel.hostname of the exporting host, as the bundle states it. */
  @Column({ name: 'hostname', type: 'text', nullable: true })
  hostname!: string | null;

  /** kernel.osrelease of the exporting host. */
  @Column({ name: 'kernel_release', type: 'text', nullable: true })
  kernelRelease!: string | null;

  /** The instant the bundle pictures (epoch ms). */
  @Column({ name: 'at', type: 'integer' })
  at!: number;

  @Column({ name: 'format_version', type: 'integer' })
  formatVersion!: number;

  /** Keys valued in the bundle's host namespace set. */
  @Column({ name: 'key_count', type: 'integer' })
  keyCount!: number;

  @Column({ name: 'namespace_count', type: 'integer' })
  namespaceCount!: number;

  /** The validated bundle, JSON. */
  @Column({ name: 'bundle', type: 'text' })
  bundle!: string;
}
