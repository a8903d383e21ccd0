import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** What lives in a namespace set: a Docker container, a named netns, or a plain process. */
@Entity({ name: 'owners' })
export class OwnerEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'namespace_id', type: 'integer' })
  namespaceId!: number;

  /** `container`, `netns` or `process`. */
  @Column({ name: 'kind', type: 'text' })
  kind!: string;

  /** Container id, netns name, or pid. */
  @Column({ name: 'ref', type: 'text' })
  ref!: string;

  /** Container name, netns name, or process command. */
  @Column({ name: 'name', type: 'text' })
  name!: string;

  @Column({ name: 'image', type: 'text', nullable: true })
  image!: string | null;

  /** JSON object. */
  @Column({ name: 'labels', type: 'text', nullable: true })
  labels!: string | null;

  /** JSON object of HostConfig.Sysctls. */
  @Column({ name: 'declared_sysctls', type: 'text', nullable: true })
  declaredSysctls!: string | null;

  @Column({ name: 'network_mode', type: 'text', nullable: true })
  networkMode!: string | null;

  @Column({ name: 'pid', type: 'integer', nullable: true })
  pid!: number | null;

  @Column({ name: 'first_seen_at', type: 'integer' })
  firstSeenAt!: number;

  @Column({ name: 'last_seen_at', type: 'integer' })
  lastSeenAt!: number;
}
