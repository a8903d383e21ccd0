import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { BaselineDifference } from '../../domain/baselines/diff-against-baseline.js';
import type { KernelReleaseCallout } from '../../domain/baselines/compare-classifications.js';
import type { Bundle } from '../../domain/baselines/bundle-types.js';

const SCOPE_VALUES = ['net', 'ipc', 'uts', 'user', 'pid', 'global'];
const VISIBILITIES = ['isolated', 'mirrored', 'absent'];

/** Schemas of the export bundle (documentation only: the bundle's type is Bundle in src/domain). */
export class BundleHostView {
  @ApiProperty({ type: String, nullable: true, example: 'web-prod-07' })
  hostname!: string | null;

  @ApiProperty({ type: String, nullable: true, example: '6.18.0-1-amd64' })
  kernelRelease!: string | null;

  @ApiProperty({ type: String, nullable: true, example: '5b0e6a8e-1f47-4c52-9b8f-0d1e2c3a4b5c' })
  bootId!: string | null;
}

export class BundleClassificationView {
  @ApiProperty({ enum: SCOPE_VALUES, example: 'net' })
  scope!: string;

  @ApiProperty({ type: String, enum: VISIBILITIES, nullable: true, example: 'isolated' })
  childVisibility!: string | null;

  @ApiProperty({ example: false })
  volatile!: boolean;

  @ApiProperty({ enum: ['builtin', 'probe', 'observed'], example: 'probe' })
  source!: string;
}

export class BundleOwnerView {
  @ApiProperty({ example: 'container' })
  kind!: string;

  @ApiProperty({ example: '3f2a9c81d0e4' })
  ref!: string;

  @ApiProperty({ example: 'web-1' })
  name!: string;

  @ApiProperty({ type: String, nullable: true, example: 'nginx:1.27' })
  image!: string | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    nullable: true,
    example: { 'net.core.somaxconn': '4096' },
  })
  declaredSysctls!: Record<string, string> | null;
}

export class BundleNamespaceView {
  @ApiProperty({ example: 'net:4026532301/ipc:4026532299/uts:4026532298' })
  identity!: string;

  @ApiProperty({ example: 'container' })
  kind!: string;

  @ApiProperty({ type: () => [BundleOwnerView] })
  owners!: BundleOwnerView[];

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string', nullable: true },
    description: 'The set’s own values by key; null = present but unreadable.',
    example: { 'net.core.somaxconn': '4096' },
  })
  values!: Record<string, string | null>;
}

export class BundleView {
  @ApiProperty({ enum: ['kernel-ledger/bundle'], example: 'kernel-ledger/bundle' })
  format!: string;

  @ApiProperty({ enum: [1], example: 1 })
  formatVersion!: number;

  @ApiProperty({ format: 'date-time', example: '2026-11-29T14:05:00.000Z' })
  exportedAt!: string;

  @ApiProperty({
    format: 'date-time',
    description: 'The instant the bundle pictures.',
    example: '2026-11-29T14:03:00.000Z',
  })
  at!: string;

  @ApiProperty({ type: () => BundleHostView })
  host!: BundleHostView;

  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/BundleClassificationView' },
    description: 'Every key that has a value in `values` or in a namespace set’s values.',
    example: {
      'net.core.somaxconn': { scope: 'net', childVisibility: 'isolated', volatile: false, source: 'probe' },
    },
  })
  classification!: Record<string, BundleClassificationView>;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string', nullable: true },
    description: 'The host set’s values by key; null = present but unreadable.',
    example: { 'net.core.somaxconn': '4096', 'net.ipv6.conf.all.stable_secret': null },
  })
  values!: Record<string, string | null>;

  @ApiPropertyOptional({
    type: () => [BundleNamespaceView],
    description: 'Present when the export asked for every namespace set (`namespaces=all`).',
  })
  namespaces?: BundleNamespaceView[];
}

export class BaselineSummary {
  @ApiProperty({ example: 'prod-web-2026-11' })
  name!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-29T15:00:00.000Z' })
  importedAt!: string;

  @ApiProperty({ type: String, nullable: true, example: 'web-prod-07' })
  hostname!: string | null;

  @ApiProperty({ type: String, nullable: true, example: '6.18.0-1-amd64' })
  kernelRelease!: string | null;

  /** The instant the bundle pictures. */
  @ApiProperty({
    format: 'date-time',
    description: 'The instant the bundle pictures.',
    example: '2026-11-29T14:03:00.000Z',
  })
  at!: string;

  /** Keys valued in the baseline's host namespace set. */
  @ApiProperty({ description: "Keys valued in the baseline's host namespace set.", example: 1187 })
  keys!: number;

  /** Other namespace sets in the bundle (0 unless it was exported with namespaces=all). */
  @ApiProperty({
    description: 'Other namespace sets in the bundle (0 unless it was exported with namespaces=all).',
    example: 0,
  })
  namespaces!: number;
}

export class BaselineImported extends BaselineSummary {
  /** True when `replace=true` overwrote a baseline of the same name. */
  @ApiProperty({
    description: 'True when `replace=true` overwrote a baseline of the same name.',
    example: false,
  })
  replaced!: boolean;
}

/** The answer of GET /baselines (documentation only). */
export class BaselineList {
  @ApiProperty({ example: 1 })
  count!: number;

  @ApiProperty({ type: () => [BaselineSummary] })
  items!: BaselineSummary[];
}

export class BaselineDetail extends BaselineSummary {
  @ApiProperty({ type: () => BundleView })
  bundle!: Bundle;
}

/** The sides of a baseline diff (documentation only). */
export class BaselineSideView {
  @ApiPropertyOptional({
    description: 'The baseline name (baseline side only).',
    example: 'prod-web-2026-11',
  })
  name?: string;

  @ApiProperty({ type: String, nullable: true, example: 'web-prod-07' })
  hostname!: string | null;

  @ApiProperty({ type: String, nullable: true, example: '6.18.0-1-amd64' })
  kernelRelease!: string | null;

  @ApiProperty({ format: 'date-time', example: '2026-11-29T14:03:00.000Z' })
  at!: string;
}

export class KeyClassView {
  @ApiProperty({ enum: SCOPE_VALUES, example: 'net' })
  scope!: string;

  @ApiProperty({ type: String, enum: VISIBILITIES, nullable: true, example: 'isolated' })
  childVisibility!: string | null;
}

export class ClassificationDifferenceView {
  @ApiProperty({ example: 'net.core.somaxconn' })
  key!: string;

  @ApiProperty({ type: () => KeyClassView })
  here!: KeyClassView;

  @ApiProperty({ type: () => KeyClassView })
  baseline!: KeyClassView;
}

export class KernelReleaseCalloutView {
  @ApiProperty({ type: String, nullable: true, example: '6.18.0-1-amd64' })
  here!: string | null;

  @ApiProperty({ type: String, nullable: true, example: '6.12.0-1-amd64' })
  baseline!: string | null;

  @ApiProperty({ description: 'True when both releases are known and differ.', example: true })
  differs!: boolean;

  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'A sentence for the operator; null when the releases match and no key is classified differently.',
    example:
      'this host runs Linux 6.18.0-1-amd64, the baseline was exported from Linux 6.12.0-1-amd64: defaults and classification can differ between kernels; no key both know is classified differently',
  })
  note!: string | null;

  @ApiProperty({ type: () => [ClassificationDifferenceView] })
  classificationDifferences!: ClassificationDifferenceView[];
}

export class BaselineDifferenceView {
  @ApiProperty({ example: 'net.core.somaxconn' })
  key!: string;

  @ApiProperty({ enum: SCOPE_VALUES, example: 'net' })
  scope!: string;

  @ApiProperty({ type: String, enum: VISIBILITIES, nullable: true, example: 'isolated' })
  childVisibility!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Null when the key is missing here or present but unreadable (see `kind`).',
    example: '4096',
  })
  here!: string | null;

  @ApiProperty({ type: String, nullable: true, example: '65535' })
  baseline!: string | null;

  @ApiProperty({ enum: ['changed', 'only-here', 'only-baseline'], example: 'changed' })
  kind!: string;
}

/** A network device whose keys differ between this host and the baseline (the default `interfaces=grouped`). */
export class BaselineInterfaceView {
  @ApiProperty({ description: 'The device name (a dot in it shows as `/`).', example: 'veth1a2b3c4' })
  interface!: string;

  @ApiProperty({
    enum: ['only-here', 'only-baseline', 'changed'],
    description:
      'only-here / only-baseline: one host alone has the device (all its keys); changed: both have it and `keys` lists its keys that differ.',
    example: 'only-here',
  })
  kind!: string;

  @ApiProperty({
    description: 'How many of its keys differ (all of them when one side alone has it).',
    example: 130,
  })
  keyCount!: number;

  @ApiProperty({
    type: () => [BaselineDifferenceView],
    description: 'For a device both hosts have, its keys that differ; empty otherwise.',
  })
  keys!: BaselineDifference[];
}

export class BaselineDiffResult {
  @ApiProperty({ type: () => BaselineSideView })
  baseline!: { name: string; hostname: string | null; kernelRelease: string | null; at: string };

  @ApiProperty({ type: () => BaselineSideView })
  here!: { hostname: string | null; kernelRelease: string | null; at: string };

  @ApiProperty({ type: String, nullable: true, description: 'The `scope` filter, if any.', example: null })
  scope!: string | null;

  @ApiProperty({ type: () => KernelReleaseCalloutView })
  kernelRelease!: KernelReleaseCallout;

  @ApiProperty({ example: 1 })
  count!: number;

  /** Global and mirrored keys first, then namespaced ones; by key within each group. */
  @ApiProperty({
    type: () => [BaselineDifferenceView],
    description: 'Global and mirrored keys first, then namespaced ones; by key within each group.',
  })
  entries!: BaselineDifference[];

  @ApiProperty({
    type: () => [BaselineInterfaceView],
    description:
      'One entry per network device whose keys differ; empty with `interfaces=raw`, which lists those keys in `entries`.',
  })
  interfaces!: BaselineInterfaceView[];
}
