import { ApiProperty } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { timeParam } from '../../docs/api-doc-texts.js';
import { BASELINE_NAME_RULE } from '../../domain/baselines/baseline-name.js';
import { type Scope, SCOPES } from '../../domain/sysctl/sysctl-types.js';
import { InterfacesQuery } from '../params/interfaces.query.js';
import { EnumQuery, TimeQuery } from '../params/query-params.js';

/** Query of GET /export. */
export class ExportQuery {
  @TimeQuery({ description: timeParam('The instant to export; default now.'), example: '-1h' })
  at?: number;

  /** `host` (default) or `all`: every namespace set alive at `at`, with its owners and own values. */
  @EnumQuery(['host', 'all'], {
    description:
      '`host` (default): the host set only; `all`: every namespace set alive at `at`, with its owners and own values.',
    example: 'all',
  })
  namespaces?: string;
}

/** Query of POST /baselines. */
export class BaselineImportQuery {
  @ApiProperty({
    required: true,
    type: String,
    description: `Name to store the baseline under (required): ${BASELINE_NAME_RULE}.`,
    example: 'prod-web-2026-11',
  })
  @IsOptional()
  @IsString()
  name?: string;

  /** `true` replaces a baseline of the same name instead of answering 409. */
  @EnumQuery(['true', 'false'], {
    description: '`true` replaces a baseline of the same name instead of answering 409.',
    example: 'true',
  })
  replace?: string;
}

/** Query of GET /diff/baseline/:name. */
export class BaselineDiffQuery {
  @TimeQuery({ description: timeParam('The instant of this host to compare; default now.'), example: '-15m' })
  at?: number;

  @EnumQuery(SCOPES, { description: 'Only keys of this scope.', example: 'net' })
  scope?: Scope;

  @InterfacesQuery()
  interfaces?: string;
}
