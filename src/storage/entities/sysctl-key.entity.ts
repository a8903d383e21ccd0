import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** The catalog: one row per key ever seen, with its classification and the evidence behind it. */
@Entity({ name: 'keys' })
export class SysctlKeyEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'name', type: 'text' })
  name!: string;

  @Column({ name: 'scope', type: 'text' })
  scope!: string;

  @Column({ name: 'volatile', type: 'boolean' })
  volatile!: boolean;

  @Column({ name: 'child_visibility', type: 'text', nullable: true })
  childVisibility!: string | null;

  /** `builtin`, `probe` or `observed`. */
  @Column({ name: 'classification_source', type: 'text' })
  classificationSource!: string;

  /** JSON evidence for the classification (probe result, kernel release, disagreements); null for builtin. */
  @Column({ name: 'evidence', type: 'text', nullable: true })
  evidence!: string | null;

  /** `readable`, `write-only` or `unreadable`, as last seen on the host. */
  @Column({ name: 'access', type: 'text' })
  access!: string;

  @Column({ name: 'first_seen_at', type: 'integer' })
  firstSeenAt!: number;
}
