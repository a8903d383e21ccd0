import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Where the agent stopped reading /dev/kmsg: one row (id 1). */
@Entity({ name: 'kmsg_cursor' })
export class KmsgCursorEntity {
  @PrimaryColumn({ name: 'id', type: 'integer' })
  id!: number;

  @Column({ name: 'boot_id', type: 'text' })
  bootId!: string;

  /** Sequence number of the last record handled (stored or not); -1 when the buffer was empty. */
  @Column({ name: 'last_seq', type: 'integer' })
  lastSeq!: number;

  @Column({ name: 'updated_at', type: 'integer' })
  updatedAt!: number;
}
