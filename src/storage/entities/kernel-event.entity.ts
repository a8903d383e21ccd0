import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A burst of kernel log lines of one signature in one namespace (DESIGN.md "kernel event"). */
@Entity({ name: 'kernel_events' })
export class KernelEventEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  /** Stable signature id from src/domain/kmsg/kernel-signatures.ts (`conntrack-table-full` …). */
  @Column({ name: 'signature', type: 'text' })
  signature!: string;

  /** The implicated key (`net.netfilter.nf_conntrack_max`). */
  @Column({ name: 'key', type: 'text' })
  key!: string;

  @Column({ name: 'namespace_id', type: 'integer', nullable: true })
  namespaceId!: number | null;

  /** The network namespace the line names (conntrack only), whether or not a snapshot has seen it. */
  @Column({ name: 'net_inode', type: 'integer', nullable: true })
  netInode!: number | null;

  @Column({ name: 'first_at', type: 'integer' })
  firstAt!: number;

  @Column({ name: 'last_at', type: 'integer' })
  lastAt!: number;

  @Column({ name: 'count', type: 'integer' })
  count!: number;

  /** Part of `count` attributed from "net_ratelimit: N callbacks suppressed". */
  @Column({ name: 'suppressed', type: 'integer', default: 0 })
  suppressed!: number;

  @Column({ name: 'sample_line', type: 'text' })
  sampleLine!: string;

  @Column({ name: 'first_seq', type: 'integer' })
  firstSeq!: number;

  @Column({ name: 'last_seq', type: 'integer' })
  lastSeq!: number;

  /** Sequence numbers restart at every boot. */
  @Column({ name: 'boot_id', type: 'text' })
  bootId!: string;
}
