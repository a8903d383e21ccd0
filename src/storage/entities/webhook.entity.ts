import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A webhook subscription: where to POST which events, signed with its secret. */
@Entity({ name: 'webhooks' })
export class WebhookEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  /** http(s) URL; may embed credentials, which the API never shows. */
  @Column({ name: 'url', type: 'text' })
  url!: string;

  /** HMAC key of the signatures; shown once, when created. */
  @Column({ name: 'secret', type: 'text' })
  secret!: string;

  /** JSON array of event types. */
  @Column({ name: 'events', type: 'text' })
  events!: string;

  /** JSON array of key globs; empty = every key. */
  @Column({ name: 'key_filters', type: 'text' })
  keyFilters!: string;

  /** JSON array of namespace globs; empty = every namespace set. */
  @Column({ name: 'namespace_filters', type: 'text' })
  namespaceFilters!: string;

  @Column({ name: 'description', type: 'text', nullable: true })
  description!: string | null;

  @Column({ name: 'active', type: 'boolean' })
  active!: boolean;

  @Column({ name: 'created_at', type: 'integer' })
  createdAt!: number;

  @Column({ name: 'updated_at', type: 'integer' })
  updatedAt!: number;
}
