import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The current saturation level (`ok`, `warn`, `critical`) of one usage series, kept across restarts. */
@Entity({ name: 'saturation_levels' })
export class SaturationLevelEntity {
  @PrimaryColumn({ name: 'namespace_id', type: 'integer' })
  namespaceId!: number;

  @PrimaryColumn({ name: 'metric', type: 'text' })
  metric!: string;

  @Column({ name: 'level', type: 'text' })
  level!: string;

  /** The ratio that set the level. */
  @Column({ name: 'ratio', type: 'real' })
  ratio!: number;

  @Column({ name: 'snapshot_id', type: 'integer' })
  snapshotId!: number;

  @Column({ name: 'updated_at', type: 'integer' })
  updatedAt!: number;
}
