import { Controller, Get, Query } from '@nestjs/common';
import { IsOptional, IsString } from 'class-validator';
import { SharedService, type SharedKeyView } from './shared.service.js';

export class SharedQuery {
  @IsOptional() @IsString() at?: string;
}

@Controller('shared')
export class SharedController {
  constructor(private readonly shared: SharedService) {}

  /** Global and mirrored keys seen inside containers on this host, with how many sets see each. */
  @Get()
  list(@Query() query: SharedQuery): Promise<{ at: string; namespaces: number; items: SharedKeyView[] }> {
    return this.shared.shared(query.at);
  }
}
