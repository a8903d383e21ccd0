import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A distinct combination of net/ipc/uts namespace identities (DESIGN.md "namespace set"). */
@Entity({ name: 'namespaces' })
export class NamespaceSetEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  /** `host`, `container`, `netns` or `process`. */
  @Column({ name: 'kind', type: 'text' })
  kind!: string;

  /** Stable identity: `host`, or `net:<inode>/ipc:<inode>/uts:<inode>`. Unique. */
  @Column({ name: 'identity', type: 'text' })
  identity!: string;

  @Column({ name: 'net_inode', type: 'integer', nullable: true })
  netInode!: number | null;

  @Column({ name: 'ipc_inode', type: 'integer', nullable: true })
  ipcInode!: number | null;

  @Column({ name: 'uts_inode', type: 'integer', nullable: true })
  utsInode!: number | null;

  @Column({ name: 'first_seen_at', type: 'integer' })
  firstSeenAt!: number;

  @Column({ name: 'last_seen_at', type: 'integer' })
  lastSeenAt!: number;
}
