// Bodies of the registry and policy endpoints, validated at the edge (types, ranges, lengths).
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { STRATEGY_NAMES, type StrategyName } from '@zk/recipes';
import { NAME_PATTERN } from '../shared/names';

export class HealthCheckDto {
  @ApiProperty({ enum: ['http', 'tcp'] }) @IsIn(['http', 'tcp']) type!: 'http' | 'tcp';
  @ApiPropertyOptional({ description: 'http: a URL (default http://host:port/health); tcp: host:port (default the instance)' })
  @IsOptional() @IsString() @Length(1, 2048) target?: string;
  @ApiPropertyOptional({ minimum: 1000, maximum: 3_600_000, default: 10_000 }) @IsOptional() @IsInt() @Min(1000) @Max(3_600_000) intervalMs?: number;
}

export class RegisterInstanceDto {
  @ApiPropertyOptional({ pattern: NAME_PATTERN.source }) @IsOptional() @IsString() @Matches(NAME_PATTERN, { message: 'id must be 1-128 letters, digits, ".", "_" or "-", starting with a letter or digit' }) id?: string;
  @ApiProperty() @IsString() @Length(1, 253) @Matches(/^[A-Za-z0-9.:_-]+$/, { message: 'host must be a host name or an IP address' }) host!: string;
  @ApiProperty({ minimum: 1, maximum: 65535 }) @IsInt() @Min(1) @Max(65535) port!: number;
  @ApiPropertyOptional({ minimum: 0, maximum: 10_000 }) @IsOptional() @IsInt() @Min(0) @Max(10_000) weight?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 128) zone?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 128) version?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } }) @IsOptional() @IsObject() metadata?: Record<string, string>;
  @ApiPropertyOptional({ minimum: 1, maximum: 3600, default: 15 }) @IsOptional() @IsInt() @Min(1) @Max(3600) ttlSeconds?: number;
  @ApiPropertyOptional({ type: HealthCheckDto }) @IsOptional() @ValidateNested() @Type(() => HealthCheckDto) check?: HealthCheckDto;
}

export class OverrideDto {
  @ApiPropertyOptional({ minimum: 0, maximum: 10_000 }) @IsOptional() @IsInt() @Min(0) @Max(10_000) weight?: number;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() disabled?: boolean;
}

export class PolicyDto {
  @ApiProperty({ enum: STRATEGY_NAMES }) @IsIn(STRATEGY_NAMES) strategy!: StrategyName;
  @ApiPropertyOptional({ description: 'consistent-hash: the request attribute hashed (e.g. a header or argument name)' }) @IsOptional() @IsString() @Length(1, 128) hashKey?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 1000, description: 'consistent-hash: virtual nodes per instance (default 160)' }) @IsOptional() @IsInt() @Min(1) @Max(1000) virtualNodes?: number;
}
