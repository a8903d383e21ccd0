import { BaselineEntity } from './entities/baseline.entity.js';
import { KernelEventEntity } from './entities/kernel-event.entity.js';
import { KmsgCursorEntity } from './entities/kmsg-cursor.entity.js';
import { NamespaceSetEntity } from './entities/namespace-set.entity.js';
import { OwnerEntity } from './entities/owner.entity.js';
import { SaturationLevelEntity } from './entities/saturation-level.entity.js';
import { SettingValueEntity } from './entities/setting-value.entity.js';
import { SnapshotEntity } from './entities/snapshot.entity.js';
import { SysctlKeyEntity } from './entities/sysctl-key.entity.js';
import { UsageSampleEntity } from './entities/usage-sample.entity.js';
import { VolatileValueEntity } from './entities/volatile-value.entity.js';
import { WebhookDeliveryEntity } from './entities/webhook-delivery.entity.js';
import { WebhookEntity } from './entities/webhook.entity.js';

/** Every entity, registered explicitly (no globs: they break under ESM and hide what is loaded). */
export const ENTITIES = [
  SnapshotEntity,
  NamespaceSetEntity,
  OwnerEntity,
  SysctlKeyEntity,
  SettingValueEntity,
  VolatileValueEntity,
  UsageSampleEntity,
  BaselineEntity,
  KernelEventEntity,
  KmsgCursorEntity,
  WebhookEntity,
  WebhookDeliveryEntity,
  SaturationLevelEntity,
];
