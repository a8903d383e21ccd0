import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'snapshots' })
@Index('ix_snapshots_taken_at', ['takenAt'])
export class SnapshotEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  /** Epoch milliseconds at which the pass started. */
  @Column({ name: 'taken_at', type: 'integer' })
  takenAt!: number;

  @Column({ name: 'duration_ms', type: 'integer' })
  durationMs!: number;

  @Column({ name: 'keys_read', type: 'integer' })
  keysRead!: number;

  @Column({ name: 'namespaces_read', type: 'integer' })
  namespacesRead!: number;

  @Column({ name: 'change_count', type: 'integer' })
  changeCount!: number;

  /** JSON array of { target, collector, message }. */
  @Column({ name: 'errors', type: 'text' })
  errors!: string;

  /** JSON object: how many namespace sets were read by each method (`in-process`, `nsenter`). */
  @Column({ name: 'read_methods', type: 'text' })
  readMethods!: string;

  /** What started it: `schedule`, `startup` or `api`. */
  @Column({ name: 'trigger', type: 'text' })
  trigger!: string;
}
